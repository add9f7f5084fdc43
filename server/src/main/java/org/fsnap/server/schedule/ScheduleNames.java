package org.fsnap.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Slots and names of scheduled snapshots: {@code NAME-yyyyMMdd'T'HHmm'Z'}, the schedule's name and
 * the UTC start of the slot the snapshot belongs to ({@code hourly-20261122T1900Z}).
 */
public final class ScheduleNames {
    /** Slots count from a Monday, so weekly snapshots fall on Mondays, daily ones at midnight UTC. */
    public static final Instant ORIGIN = Instant.parse("1970-01-05T00:00:00Z");

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern STAMP_TEXT = Pattern.compile("[0-9]{8}T[0-9]{4}Z");

    private ScheduleNames() {
    }

    /** The start of the slot holding {@code now}: the last multiple of {@code every} since {@link #ORIGIN}. */
    public static Instant slot(Instant now, Duration every) {
        long step = every.getSeconds();
        long since = now.getEpochSecond() - ORIGIN.getEpochSecond();
        return ORIGIN.plusSeconds(Math.floorDiv(since, step) * step);
    }

    public static String name(String schedule, Instant slot) {
        return schedule + "-" + STAMP.format(slot);
    }

    /** The slot of a snapshot this schedule named; empty for any other name (hand-made snapshots). */
    public static Optional<Instant> slotOf(String schedule, String snapshotName) {
        String prefix = schedule + "-";
        if (!snapshotName.startsWith(prefix)) {
            return Optional.empty();
        }
        String stamp = snapshotName.substring(prefix.length());
        if (!STAMP_TEXT.matcher(stamp).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(STAMP.parse(stamp, Instant::from));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
