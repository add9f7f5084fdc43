package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nfs-ganesha (FSAL VFS) serving a directory over NFSv4.1/4.2 on a loopback port, as the
 * reference server: the same guest scripts run against it show what a working server does, and
 * bin/fsnap-bench compares fsnapd with it. Configured like it-tests/nfsclient-vm/ganesha-example.conf;
 * the export is mounted as {@code nfs-server:/export}.
 *
 * <p>ganesha 4.3 ignores {@code Bind_addr} and listens on all addresses of its port: it only ever
 * runs for the length of one test.
 */
public final class GaneshaProcess implements NfsServer {

    public static final String PSEUDO_PATH = "/export";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final Path exportDir;
    private final int port;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final Path out;
    private Process process;

    private GaneshaProcess(String name, Path exportDir, int port, Path dir) {
        this.name = ItEnv.safe(name);
        this.exportDir = exportDir.toAbsolutePath();
        this.port = port;
        this.dir = dir;
        this.config = dir.resolve("ganesha.conf");
        this.log = ItEnv.logFile("ganesha-" + this.name);
        this.out = dir.resolve("ganesha.out");
    }

    /** Why ganesha cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (ItEnv.onPath("ganesha.nfsd").isEmpty()) {
            return Optional.of("ganesha.nfsd not found: the nfs-ganesha reference server cannot run here"
                    + " (apt-get install nfs-ganesha nfs-ganesha-vfs)");
        }
        boolean vfs = List.of("/usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so", "/usr/lib/ganesha/libfsalvfs.so",
                "/usr/lib64/ganesha/libfsalvfs.so").stream().anyMatch(p -> Files.exists(Path.of(p)));
        if (!vfs) {
            return Optional.of("ganesha's VFS backend (libfsalvfs.so) not found (apt-get install nfs-ganesha-vfs)");
        }
        if (!ItEnv.isRoot()) {
            return Optional.of("nfs-ganesha's VFS backend needs root");
        }
        return Optional.empty();
    }

    public static void assumeAvailable() {
        unavailableReason().ifPresent(ItEnv::skip);
    }

    /**
     * Starts ganesha on a free loopback port and waits until it listens.
     *
     * @param graceSeconds 0 for {@code Graceless = true} (no grace period after a start: OPENs
     *                     would otherwise wait 90 s); more for a server that lets clients reclaim
     *                     their state after a restart
     */
    public static GaneshaProcess start(String name, Path exportDir, ServerOptions options, int graceSeconds) {
        Path dir = ItEnv.newWorkDir("ganesha-" + name);
        GaneshaProcess g = new GaneshaProcess(name, exportDir, ItEnv.freeLoopbackPort(), dir);
        try {
            Files.createDirectories(dir.resolve("recovery"));
            Files.writeString(g.config, configText(exportDir.toAbsolutePath(), g.port, dir.resolve("recovery"),
                    options.rootSquash(), graceSeconds), StandardCharsets.UTF_8);
            g.launchAndWait();
        } catch (IOException e) {
            g.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            g.close();
            throw new IllegalStateException("interrupted while starting ganesha", e);
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
        return g;
    }

    public static GaneshaProcess start(String name, Path exportDir, ServerOptions options) {
        return start(name, exportDir, options, 0);
    }

    /** ganesha.conf for one VFS export of EXPORT at /export, NFSv4.1/4.2 only, TCP only. */
    static String configText(Path export, int port, Path recovery, boolean rootSquash, int graceSeconds) {
        String grace = graceSeconds <= 0
                ? "    Graceless = true;\n"
                : "    Graceless = false;\n"
                  + "    Grace_Period = " + graceSeconds + ";\n"
                  + "    Lease_Lifetime = " + Math.max(5, graceSeconds - 1) + ";\n";
        return """
                # Written by org.fsnap.it.GaneshaProcess (see it-tests/nfsclient-vm/ganesha-example.conf).
                NFS_CORE_PARAM {
                    Protocols = 4;
                    NFS_Port = %d;
                    Bind_addr = 127.0.0.1;
                    Enable_NLM = false;
                    Enable_RQUOTA = false;
                    Enable_UDP = false;
                }
                NFSv4 {
                    Minor_Versions = 1, 2;
                %s    RecoveryBackend = fs;
                    RecoveryRoot = "%s";
                }
                EXPORT {
                    Export_Id = 1;
                    Path = "%s";
                    Pseudo = "%s";
                    Protocols = 4;
                    Transports = TCP;
                    Access_Type = RW;
                    Squash = %s;
                    SecType = sys;
                    FSAL {
                        Name = VFS;
                    }
                }
                LOG {
                    Default_Log_Level = EVENT;
                }
                """.formatted(port, grace, recovery, export, PSEUDO_PATH, rootSquash ? "Root_Squash" : "None");
    }

    private void launchAndWait() throws IOException, InterruptedException {
        if (ItEnv.listening(port)) {
            fail("port " + port + " is already in use; cannot start ganesha there");
        }
        List<String> cmd = List.of(ItEnv.onPath("ganesha.nfsd").orElseThrow().toString(), "-F",
                "-f", config.toString(), "-L", log.toString(), "-p", dir.resolve("ganesha.pid").toString());
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .directory(dir.toFile()).start();
        System.out.printf("[ganesha %s] started pid %d on 127.0.0.1:%d exporting %s as %s%n", name, process.pid(),
                port, exportDir, PSEUDO_PATH);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (ItEnv.listening(port)) {
                return;
            }
            Thread.sleep(250);
        }
        String why = process.isAlive() ? "did not listen within " + START_TIMEOUT.toSeconds() + "s"
                : "exited with status " + process.exitValue();
        stopProcess();
        fail("ganesha " + why + "; log " + log + ":\n" + tail(log) + "\n" + tail(out));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    @Override
    public String name() {
        return "ganesha";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String mountPath() {
        return PSEUDO_PATH;
    }

    @Override
    public Path exportDir() {
        return exportDir;
    }

    @Override
    public Path logFile() {
        return log;
    }

    @Override
    public void restart() throws IOException, InterruptedException {
        System.out.printf("[ganesha %s] restarting on port %d%n", name, port);
        stopProcess();
        for (int i = 0; i < 40 && ItEnv.listening(port); i++) {
            Thread.sleep(250);
        }
        launchAndWait();
    }

    private void stopProcess() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        System.out.printf("[ganesha %s] stopped%n", name);
    }

    @Override
    public void close() {
        stopProcess();
    }
}
