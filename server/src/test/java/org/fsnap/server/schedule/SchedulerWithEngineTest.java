package org.fsnap.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fsnap.config.Retention;
import org.fsnap.config.Schedule;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.SnapshotInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler over the real snapshot engine: retention deletes, the engine re-parents. */
class SchedulerWithEngineTest {
    @TempDir
    Path export;

    @Test
    void retentionOverTheRealEngineKeepsHistoryConnected() throws Exception {
        Path file = Files.writeString(export.resolve("disk.qcow2"), "v0");
        SnapshotSchedulerTest.FakeClock clock = new SnapshotSchedulerTest.FakeClock("2026-11-22T19:00:05Z");
        SnapshotEngine engine;
        try {
            engine = SnapshotEngine.open(SnapshotEngineConfig.builder(export).clock(clock).build());
            engine.create(file, "probe");
            engine.delete(file, "probe");
        } catch (Exception e) {
            assumeTrue(false, "the snapshot engine cannot run here: " + e);
            return;
        }
        try (engine) {
            engine.create(file, "manual");
            Schedule hourly = new Schedule("hourly", List.of("*.qcow2"), Optional.empty(), Duration.ofHours(1),
                    new Retention(2, 0, 0, 0, 0), 1);
            SnapshotScheduler s = new SnapshotScheduler(List.of(hourly), List.of(export), SnapshotOps.of(engine),
                    clock, engine::isStorePath, (x, a, f, n, e, t) -> { });
            for (int hour = 0; hour < 5; hour++) {
                Files.writeString(file, "content at hour " + hour);
                s.runDue();
                clock.advance(Duration.ofHours(1));
            }
            assertFalse(s.retentionStopped());
            List<SnapshotInfo> list = engine.list(file);
            assertEquals(List.of("manual", "hourly-20261122T2200Z", "hourly-20261122T2300Z"),
                    list.stream().map(SnapshotInfo::name).toList());
            // deleting 1900Z..2100Z re-parented their children: 2200Z descends from 'manual' now
            assertEquals(Optional.of("manual"), list.get(1).parent());
            assertEquals(Optional.of("hourly-20261122T2200Z"), list.get(2).parent());
        }
    }
}
