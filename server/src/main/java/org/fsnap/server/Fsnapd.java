package org.fsnap.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.fsnap.config.CommandLine;
import org.fsnap.config.ConfigException;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.cluster.ClusterSetup;
import org.fsnap.server.audit.LogSettings;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.metrics.MetricsHttpServer;
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
                snapshots = SnapshotServices.start(options, metrics, served.exports());
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
