package org.fsnap.server.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.fsnap.config.Retention;
import org.fsnap.snapshot.SnapshotInfo;

/**
 * Which of a schedule's snapshots of one file retention deletes. Only snapshots the schedule
 * named itself are considered (hand-made ones and other schedules' are never touched), and the
 * file's current snapshot is always kept. The rules, on the snapshots' slots (UTC):
 *
 * <ul>
 *   <li>{@code keep.last}: the newest N;</li>
 *   <li>{@code keep.hourly}, {@code daily}, {@code weekly} (ISO weeks), {@code monthly}: the
 *       newest snapshot of each of the N most recent such periods that have one.</li>
 * </ul>
 *
 * A snapshot kept by any rule stays.
 */
public final class RetentionPlan {
    private RetentionPlan() {
    }

    private record Slotted(SnapshotInfo info, Instant slot) {
    }

    /** The names to delete, oldest first. */
    public static List<String> toDelete(String schedule, Retention keep, List<SnapshotInfo> snapshots) {
        List<Slotted> mine = new ArrayList<>();
        for (SnapshotInfo s : snapshots) {
            ScheduleNames.slotOf(schedule, s.name()).ifPresent(slot -> mine.add(new Slotted(s, slot)));
        }
        mine.sort(Comparator.comparing(Slotted::slot).thenComparing(x -> x.info().created()).reversed());
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < Math.min(keep.last(), mine.size()); i++) {
            kept.add(mine.get(i).info().name());
        }
        keepNewestPerPeriod(mine, keep.hourly(), s -> s.truncatedTo(ChronoUnit.HOURS), kept);
        keepNewestPerPeriod(mine, keep.daily(), s -> s.truncatedTo(ChronoUnit.DAYS), kept);
        keepNewestPerPeriod(mine, keep.weekly(), s -> {
            ZonedDateTime z = s.atZone(ZoneOffset.UTC);
            return z.get(IsoFields.WEEK_BASED_YEAR) * 100L + z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }, kept);
        keepNewestPerPeriod(mine, keep.monthly(), s -> {
            ZonedDateTime z = s.atZone(ZoneOffset.UTC);
            return z.getYear() * 100L + z.getMonthValue();
        }, kept);
        List<String> delete = new ArrayList<>();
        for (int i = mine.size() - 1; i >= 0; i--) {
            SnapshotInfo s = mine.get(i).info();
            if (!kept.contains(s.name()) && !s.current()) {
                delete.add(s.name());
            }
        }
        return delete;
    }

    /** Walking newest first, keeps the first snapshot of each new period, for {@code count} periods. */
    private static void keepNewestPerPeriod(List<Slotted> newestFirst, int count, Function<Instant, Object> period,
                                            Set<String> kept) {
        Object last = null;
        int periods = 0;
        for (Slotted s : newestFirst) {
            if (periods >= count) {
                return;
            }
            Object p = period.apply(s.slot());
            if (!Objects.equals(p, last)) {
                kept.add(s.info().name());
                last = p;
                periods++;
            }
        }
    }
}
