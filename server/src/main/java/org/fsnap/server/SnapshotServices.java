package org.fsnap.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fsnap.config.Retention;
import org.fsnap.config.Schedule;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.schedule.SnapshotOps;
import org.fsnap.server.schedule.SnapshotRecorder;
import org.fsnap.server.schedule.SnapshotScheduler;
import org.fsnap.snapshot.SnapshotEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What fsnapd runs beside the NFS service for snapshots: the audit and metrics recorders of
 * the served exports and their schedulers. Closing stops the schedulers (before the stacks close).
 */
final class SnapshotServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotServices.class);

    private final List<SnapshotScheduler> schedulers;

    private SnapshotServices(List<SnapshotScheduler> schedulers) {
        this.schedulers = List.copyOf(schedulers);
    }

    /** The schedulers started, one per export with schedules. */
    List<SnapshotScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public void close() {
        schedulers.forEach(SnapshotScheduler::close);
    }

    /**
     * Audit and metrics for the snapshot operations of every export, and the {@code [schedule]}
     * policies over them: each stack reports its clients' snapshot operations to a recorder (audit
     * lines on {@code fsnap.audit} unless {@code log.audit = no}, and {@code metrics}; files relative to
     * the export, or by their path under the pseudo-root when there are several exports), and each export
     * with a snapshot engine gets a scheduler with the schedules that apply to it (all, or those whose
     * {@code export} names it), checked every {@value #SCHEDULE_CHECK_SECONDS} s. Close the result before
     * the stacks.
     */
    static SnapshotServices start(ServerOptions options, Metrics metrics, List<SnapshotExport> exports) {
        AuditLog audit = new AuditLog(options.audit());
        if (!options.audit()) {
            LOG.info("audit log off (log.audit = no): snapshot operations are counted in the metrics only");
        }
        List<SnapshotScheduler> schedulers = new ArrayList<>();
        for (SnapshotExport e : exports) {
            List<Path> roots = new ArrayList<>(List.of(e.export()));
            if (e.stack().engine() != null) {
                roots.add(e.stack().engine().exportRoot());
            }
            // One export: files relative to it. Several: by their path under the pseudo-root.
            SnapshotRecorder recorder = new SnapshotRecorder(audit, metrics, roots,
                    exports.size() > 1 ? e.export().toAbsolutePath().normalize() : null);
            e.stack().operationListener(recorder);
            List<Schedule> mine = options.schedules().stream().filter(s -> appliesTo(s, e.export()))
                    .map(s -> new Schedule(s.name(), s.match(), Optional.empty(), s.every(), s.keep(), s.line()))
                    .toList();
            if (mine.isEmpty()) {
                continue;
            }
            SnapshotEngine engine = e.stack().engine();
            if (engine == null) {
                LOG.warn("snapshot view off: schedules {} not applied to {}",
                        mine.stream().map(Schedule::name).toList(), e.export());
                continue;
            }
            for (Schedule s : mine) {
                LOG.info("schedule {}: files matching {} in {} every {}, keeping {}", s.name(),
                        String.join(" ", s.match()), e.export(), duration(s.every()), retention(s.keep()));
            }
            SnapshotScheduler scheduler = new SnapshotScheduler(mine, List.of(engine.exportRoot()),
                    SnapshotOps.of(engine), Clock.systemUTC(), engine::isStorePath, recorder);
            scheduler.start(Duration.ofSeconds(SCHEDULE_CHECK_SECONDS));
            schedulers.add(scheduler);
        }
        return new SnapshotServices(schedulers);
    }

    /** How often the schedulers look whether a schedule's next slot has come. */
    static final int SCHEDULE_CHECK_SECONDS = 30;

    private static boolean appliesTo(Schedule s, Path export) {
        if (s.export().isEmpty()) {
            return true;
        }
        Path wanted = s.export().get().toAbsolutePath().normalize();
        if (wanted.equals(export.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return wanted.toRealPath().equals(export.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** 15m, 1h, 1d, 1w: as the configuration writes it. */
    static String duration(Duration d) {
        long m = d.toMinutes();
        if (m % (7 * 24 * 60) == 0) {
            return m / (7 * 24 * 60) + "w";
        }
        if (m % (24 * 60) == 0) {
            return m / (24 * 60) + "d";
        }
        return m % 60 == 0 ? m / 60 + "h" : m + "m";
    }

    private static String retention(Retention keep) {
        if (keep.keepsNothing()) {
            return "none (no keep.* rule)";
        }
        List<String> rules = new ArrayList<>();
        int[] counts = {keep.last(), keep.hourly(), keep.daily(), keep.weekly(), keep.monthly()};
        String[] names = {"last", "hourly", "daily", "weekly", "monthly"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                rules.add(counts[i] + " " + names[i]);
            }
        }
        return String.join(", ", rules);
    }
}
