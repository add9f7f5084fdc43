package org.fsnap.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fsnap.config.Retention;
import org.fsnap.config.Schedule;
import org.fsnap.snapshot.SnapshotInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules and retention, driven by a fake clock over a fake engine. */
class SnapshotSchedulerTest {
    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        Instant now;

        FakeClock(String start) {
            now = Instant.parse(start);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TempDir
    Path export;
    Path a;
    Path b;
    FakeClock clock = new FakeClock("2026-11-22T19:00:30Z");
    FakeSnapshots engine = new FakeSnapshots(clock);
    List<String> events = new ArrayList<>();

    @BeforeEach
    void files() throws Exception {
        a = Files.writeString(export.resolve("a.qcow2"), "a");
        Files.createDirectories(export.resolve("vm/deep"));
        b = Files.writeString(export.resolve("vm/deep/b.qcow2"), "b");
        Files.writeString(export.resolve("notes.txt"), "n");
        Files.createDirectories(export.resolve(".fsnap-store"));
        Files.writeString(export.resolve(".fsnap-store/c.qcow2"), "c");
    }

    static Schedule hourly(Retention keep) {
        return new Schedule("hourly", List.of("*.qcow2"), Optional.empty(), Duration.ofHours(1), keep, 1);
    }

    SnapshotScheduler scheduler(Schedule... schedules) {
        return new SnapshotScheduler(List.of(schedules), List.of(export), engine, clock, p -> false,
                (schedule, action, file, snap, error, took) -> events.add(action + " " + export.relativize(file) + " " + snap
                        + (error == null ? "" : " " + error.getClass().getSimpleName())));
    }

    Set<String> names(Path file) {
        return new TreeSet<>(engine.h(file).snaps.keySet());
    }

    @Test
    void slotsAndNames() {
        assertEquals(Instant.parse("2026-11-22T19:00:00Z"),
                ScheduleNames.slot(Instant.parse("2026-11-22T19:59:59Z"), Duration.ofHours(1)));
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"),
                ScheduleNames.slot(Instant.parse("2026-11-22T19:59:59Z"), Duration.ofDays(1)));
        assertEquals(Instant.parse("2026-11-16T00:00:00Z"), // a Monday
                ScheduleNames.slot(Instant.parse("2026-11-22T19:59:59Z"), Duration.ofDays(7)));
        assertEquals(Instant.parse("2026-11-22T19:45:00Z"),
                ScheduleNames.slot(Instant.parse("2026-11-22T19:59:59Z"), Duration.ofMinutes(15)));
        assertEquals("hourly-20261122T1900Z", ScheduleNames.name("hourly", Instant.parse("2026-11-22T19:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-11-22T19:00:00Z")),
                ScheduleNames.slotOf("hourly", "hourly-20261122T1900Z"));
        assertEquals(Optional.empty(), ScheduleNames.slotOf("hourly", "hourly-before-upgrade"));
        assertEquals(Optional.empty(), ScheduleNames.slotOf("hourly", "daily-20261122T1900Z"));
        assertEquals(Optional.empty(), ScheduleNames.slotOf("hourly", "hourly-20261322T1900Z"));
    }

    @Test
    void takesOneSnapshotPerSlotOfMatchingFiles() {
        SnapshotScheduler s = scheduler(hourly(new Retention(0, 24, 0, 0, 0)));
        assertEquals(new SnapshotScheduler.Report(2, 0, 0, 0), s.runDue());
        assertEquals(Set.of("hourly-20261122T1900Z"), names(a));
        assertEquals(Set.of("hourly-20261122T1900Z"), names(b));
        assertEquals(List.of("create a.qcow2 hourly-20261122T1900Z", "create vm/deep/b.qcow2 hourly-20261122T1900Z"),
                events);
        clock.advance(Duration.ofMinutes(50));
        assertEquals(new SnapshotScheduler.Report(0, 0, 0, 0), s.runDue()); // same slot
        clock.advance(Duration.ofMinutes(10));
        assertEquals(new SnapshotScheduler.Report(2, 0, 0, 0), s.runDue());
        assertEquals(Set.of("hourly-20261122T1900Z", "hourly-20261122T2000Z"), names(a));
        assertEquals(Set.of(export.resolve("a.qcow2"), export.resolve("vm/deep/b.qcow2")), engine.files.keySet());
    }

    @Test
    void afterARestartTheSlotIsNotTakenTwice() {
        scheduler(hourly(new Retention(3, 0, 0, 0, 0))).runDue();
        clock.advance(Duration.ofMinutes(20));
        assertEquals(new SnapshotScheduler.Report(0, 2, 0, 0), scheduler(hourly(new Retention(3, 0, 0, 0, 0))).runDue());
    }

    @Test
    void keeps24HourlyAnd7Daily() {
        SnapshotScheduler s = scheduler(hourly(new Retention(0, 24, 7, 0, 0)));
        clock.now = Instant.parse("2026-11-01T00:00:10Z");
        for (int hour = 0; hour < 24 * 10; hour++) { // ten days, every hour
            s.runDue();
            clock.advance(Duration.ofHours(1));
        }
        Set<String> expected = new TreeSet<>();
        for (int h = 0; h < 24; h++) {
            expected.add(String.format("hourly-20261110T%02d00Z", h)); // the last 24 hours
        }
        for (int day = 4; day <= 9; day++) {
            expected.add(String.format("hourly-202611%02dT2300Z", day)); // newest of 6 earlier days
        }
        assertEquals(expected, names(a));
        assertEquals(30, names(b).size());
        // the history stays connected: every kept snapshot's parent is the previous kept one
        List<SnapshotInfo> list = engine.list(a);
        for (int i = 1; i < list.size(); i++) {
            assertEquals(Optional.of(list.get(i - 1).name()), list.get(i).parent(), list.get(i).name());
        }
        assertEquals(Optional.empty(), list.get(0).parent());
        assertTrue(list.get(list.size() - 1).current());
    }

    @Test
    void retentionLeavesOtherSnapshotsAndTheCurrentOneAlone() throws Exception {
        engine.create(a, "before-upgrade");
        engine.create(a, "daily-20261101T0000Z");
        SnapshotScheduler s = scheduler(hourly(new Retention(1, 0, 0, 0, 0)));
        s.runDue();
        engine.create(a, "manual");                       // current is now 'manual'
        clock.advance(Duration.ofHours(1));
        s.runDue();                                       // 2000Z taken; keep.last = 1 deletes 1900Z
        assertEquals(Set.of("before-upgrade", "daily-20261101T0000Z", "hourly-20261122T2000Z", "manual"), names(a));
        // a schedule's snapshot that is current is kept even beyond keep.last
        engine.h(a).current = "hourly-20261122T2000Z";
        RetentionPlan.toDelete("hourly", new Retention(1, 0, 0, 0, 0), engine.list(a));
        assertEquals(List.of(), RetentionPlan.toDelete("hourly", new Retention(1, 0, 0, 0, 0), engine.list(a)));
    }

    @Test
    void retentionPlanPeriods() {
        List<SnapshotInfo> list = new ArrayList<>();
        for (String n : List.of("w-20261102T0000Z", "w-20261109T0000Z", "w-20261116T0000Z", "w-20261201T0000Z",
                "w-20270104T0000Z")) {
            list.add(new SnapshotInfo(n, ScheduleNames.slotOf("w", n).orElseThrow(), 1, Optional.empty(),
                    org.fsnap.snapshot.clone.CloneStrategy.values()[0], Instant.EPOCH, false));
        }
        assertEquals(List.of("w-20261102T0000Z", "w-20261109T0000Z"),
                RetentionPlan.toDelete("w", new Retention(0, 0, 0, 0, 3), list)); // newest of 3 months
        assertEquals(List.of("w-20261102T0000Z", "w-20261109T0000Z", "w-20261116T0000Z"),
                RetentionPlan.toDelete("w", new Retention(0, 0, 0, 2, 0), list)); // 2 ISO weeks
        assertEquals(List.of(), RetentionPlan.toDelete("w", new Retention(5, 0, 0, 0, 0), list));
    }

    @Test
    void aFullFileIsPrunedBeforeTheSnapshot() {
        engine.limit = 3;
        SnapshotScheduler s = scheduler(hourly(new Retention(3, 0, 0, 0, 0)));
        for (int i = 0; i < 5; i++) {
            s.runDue();
            clock.advance(Duration.ofHours(1));
        }
        assertEquals(Set.of("hourly-20261122T2100Z", "hourly-20261122T2200Z", "hourly-20261122T2300Z"), names(a));
    }

    @Test
    void retentionStopsIfTheEngineDoesNotReparent() {
        engine.reparent = false;
        SnapshotScheduler s = scheduler(hourly(new Retention(1, 0, 0, 0, 0)));
        for (int i = 0; i < 3; i++) {
            s.runDue(); // without pruning here: three snapshots in a chain
            clock.advance(Duration.ofHours(1));
        }
        // the second run deleted 1900Z of a.qcow2, saw 2000Z cut off, and stopped all deleting
        assertTrue(s.retentionStopped());
        assertEquals(List.of("delete a.qcow2 hourly-20261122T1900Z"),
                engine.log.stream().filter(l -> l.startsWith("delete")).toList());
        assertEquals(Set.of("hourly-20261122T2000Z", "hourly-20261122T2100Z"), names(a));
        assertEquals(3, names(b).size());
    }

    @Test
    void scheduleLimitedToOneExport() throws Exception {
        Path other = Files.createDirectories(export.resolve("vm"));
        Schedule onlyVm = new Schedule("vm", List.of("**.qcow2"), Optional.of(other), Duration.ofDays(1),
                new Retention(1, 0, 0, 0, 0), 1);
        SnapshotScheduler s = new SnapshotScheduler(List.of(onlyVm), List.of(export, other), engine, clock,
                p -> false, (x, y, f, n, e, t) -> { });
        assertEquals(1, s.runDue().created());
        assertEquals(Set.of("vm-20261122T0000Z"), names(b));
    }
}
