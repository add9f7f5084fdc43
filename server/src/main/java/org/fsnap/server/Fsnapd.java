package org.fsnap.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.fsnap.config.CommandLine;
import org.fsnap.config.ConfigException;
import org.fsnap.config.Retention;
import org.fsnap.config.Schedule;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.cluster.ClusterSetup;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.audit.LogSettings;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.metrics.MetricsHttpServer;
import org.fsnap.server.schedule.SnapshotOps;
import org.fsnap.server.schedule.SnapshotRecorder;
import org.fsnap.server.schedule.SnapshotScheduler;
import org.fsnap.server.vfs.snapshot.SnapshotStack;
import org.fsnap.snapshot.SnapshotEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fsnapd launcher: reads the command line, builds the filesystem stack, serves until
 * SIGTERM. Operator mistakes print one line and exit with status 2.
 */
public final class Fsnapd {
    /** Where the server keeps its own state inside the export; never visible over NFS. */
    public static final String STATE_DIR_NAME = ".fsnap-state";
    public static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Fsnapd.class);

    private Fsnapd() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine.Request request;
        try {
            request = CommandLine.parse(args, true);
        } catch (ConfigException e) {
            err.println("fsnapd: " + e.getMessage());
            err.println("Try 'fsnapd --help'.");
            return EXIT_USAGE;
        }
        return switch (request) {
            case CommandLine.Help h -> {
                out.println(CommandLine.USAGE);
                yield 0;
            }
            case CommandLine.Version v -> {
                out.println("fsnapd " + version());
                yield 0;
            }
            case CommandLine.Run r -> {
                LogSettings.apply(r.options().logLevel());
                yield serve(r.options(), err);
            }
        };
    }

    static String version() {
        String v = Fsnapd.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    private static int serve(ServerOptions options, PrintStream err) {
        NfsServer server;
        ServedExports served;
        SnapshotServices snapshots;
        Metrics metrics = new Metrics(version());
        MetricsHttpServer metricsHttp;
        try {
            metricsHttp = options.metricsListen().isPresent()
                    ? MetricsHttpServer.start(metrics, options.metricsListen().get()) : null;
        } catch (IOException e) {
            err.println("fsnapd: cannot serve metrics on " + options.metricsListen().get() + ": "
                    + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            try {
                served = fileSystem(options);
            } catch (ConfigException e) {
                closeQuietly(metricsHttp);
                err.println("fsnapd: " + e.getMessage());
                return EXIT_USAGE;
            }
            try {
                Path stateDir = ClusterSetup.nodeStateDirectory(served.stateDirectory(), options.cluster());
                Files.createDirectories(stateDir);
                snapshots = snapshotServices(options, metrics, served.exports());
                try {
                    server = NfsServer.start(options, served.top(), stateDir, metrics);
                } catch (IOException | RuntimeException e) {
                    snapshots.close();
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                served.close();
                throw e;
            }
        } catch (BindException e) {
            closeQuietly(metricsHttp);
            err.println("fsnapd: cannot listen on " + options.listen() + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            closeQuietly(metricsHttp);
            err.println("fsnapd: cannot start: " + e.getMessage());
            return EXIT_USAGE;
        }
        LOG.info("fsnapd {} serving {}, listening on {}", version(),
                options.exportTable() != null ? "the exports of " + options.exportsFile() + " under a pseudo-root"
                        : options.export() + " (root squash " + (options.rootSquash() ? "on" : "off") + ")",
                hostPort(server));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            closeQuietly(metricsHttp);
            try {
                server.close();
                snapshots.close();
                served.close();
            } catch (IOException e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One export served with snapshots: the directory as configured, and its filesystem stack. */
    record SnapshotExport(Path export, SnapshotStack stack) {
    }

    /** The snapshot schedulers started by {@link #snapshotServices}; closing stops them. */
    record SnapshotServices(List<SnapshotScheduler> schedulers) implements AutoCloseable {
        @Override
        public void close() {
            schedulers.forEach(SnapshotScheduler::close);
        }
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
    static SnapshotServices snapshotServices(ServerOptions options, Metrics metrics, List<SnapshotExport> exports) {
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
        return new SnapshotServices(List.copyOf(schedulers));
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

    private static void closeQuietly(MetricsHttpServer http) {
        if (http != null) {
            http.close();
        }
    }

    private static String hostPort(NfsServer server) {
        return server.address().getAddress().getHostAddress() + ":" + server.address().getPort();
    }

    /**
     * The filesystem stacks: per export the local directory with the server's own directories
     * hidden, under the snapshot view and named attributes, behind the export's gate; with an
     * exports file all of them under the pseudo-root. Data flows down: ops → gate → stack → local.
     */
    static ServedExports fileSystem(ServerOptions options) throws IOException, ConfigException {
        return ServedExports.open(options);
    }
}
