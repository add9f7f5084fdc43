package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fsnapd as a child JVM: {@code --export DIR --listen 127.0.0.1:PORT} on a free port chosen here.
 * Started from the test's own classpath with the test's own java (a JDK 25), or through
 * {@code bin/fsnapd} with {@link #startViaLauncher}. Its output goes to target/it-logs/NAME.log.
 */
public final class FsnapdProcess implements NfsServer {

    public static final String MAIN_CLASS = "org.fsnap.server.Fsnapd";
    /** JVM flags Hazelcast wants on JDK 25 (same as bin/fsnapd); harmless without a cluster. */
    public static final List<String> HAZELCAST_JVM_FLAGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dhazelcast.logging.type=slf4j");
    /** JIT flags as bin/fsnapd chooses them: on one or two CPUs only the quick compiler (C1). */
    public static final List<String> JIT_FLAGS = Runtime.getRuntime().availableProcessors() <= 2
            ? List.of("-XX:TieredStopAtLevel=1") : List.of();
    /** The line fsnapd logs once it accepts connections. */
    public static final String LISTENING = "listening on";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("fsnap.it.fsnapd.startSeconds", 90));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final Path exportDir;
    private final int port;
    private final List<String> extraArgs;
    private final boolean viaLauncher;
    private final List<String> jvmOptions;
    /** {@code --export} with the export directory, or {@code --exports} with an exports file. */
    private String exportFlag = "--export";
    private final Path log;
    private final List<String> recent = new ArrayList<>();
    private volatile Process process;
    private int generation;
    private volatile boolean stopping;

    private FsnapdProcess(String name, Path exportDir, int port, List<String> extraArgs, boolean viaLauncher,
                          List<String> jvmOptions) {
        this.name = ItEnv.safe(name);
        this.exportDir = exportDir.toAbsolutePath();
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.viaLauncher = viaLauncher;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = ItEnv.logFile("fsnapd-" + this.name);
    }

    /** Starts fsnapd on a free loopback port and waits until it listens. */
    public static FsnapdProcess start(String name, Path exportDir, ServerOptions options, String... extraArgs) {
        return startOn(name, exportDir, ItEnv.freeLoopbackPort(), false, withOptions(options, extraArgs));
    }

    /**
     * Starts fsnapd with {@code --exports FILE} (an exports file; clients mount SERVER:/PATH) on a free
     * loopback port and waits until it listens.
     */
    public static FsnapdProcess startWithExportsFile(String name, Path exportsFile, String... extraArgs) {
        FsnapdProcess p = new FsnapdProcess(name, exportsFile, ItEnv.freeLoopbackPort(), List.of(extraArgs), false,
                List.of());
        p.exportFlag = "--exports";
        return launched(p);
    }

    /** Same through bin/fsnapd (which needs server/target/fsnapd.jar or builds it). */
    public static FsnapdProcess startViaLauncher(String name, Path exportDir, ServerOptions options,
                                                 String... extraArgs) {
        return startOn(name, exportDir, ItEnv.freeLoopbackPort(), true, withOptions(options, extraArgs));
    }

    private static List<String> withOptions(ServerOptions options, String... extraArgs) {
        List<String> args = new ArrayList<>();
        if (!options.rootSquash()) {
            args.add("--no-root-squash");
        }
        args.addAll(List.of(extraArgs));
        return args;
    }

    /**
     * Starts fsnapd on {@code port} with extra JVM options for this process only (e.g. a crash point,
     * {@code -Dfsnap.crashAt=create.after-content-sync}), and waits until it listens.
     */
    public static FsnapdProcess startWithJvm(String name, Path exportDir, int port, List<String> jvmOptions,
                                             ServerOptions options, String... extraArgs) {
        return startOn(name, exportDir, port, false, withOptions(options, extraArgs), jvmOptions);
    }

    private static FsnapdProcess startOn(String name, Path exportDir, int port, boolean viaLauncher,
                                         List<String> extraArgs) {
        return startOn(name, exportDir, port, viaLauncher, extraArgs, List.of());
    }

    private static FsnapdProcess startOn(String name, Path exportDir, int port, boolean viaLauncher,
                                         List<String> extraArgs, List<String> jvmOptions) {
        return launched(new FsnapdProcess(name, exportDir, port, extraArgs, viaLauncher, jvmOptions));
    }

    /** Launches {@code p} and waits until it listens; closes it when it does not. */
    private static FsnapdProcess launched(FsnapdProcess p) {
        try {
            p.launchAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.close();
            throw new IllegalStateException("interrupted while starting fsnapd", e);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** The command line for the given listen address and export (also used for bad-flag tests). */
    public static List<String> command(boolean viaLauncher, List<String> serverArgs) {
        return command(viaLauncher, List.of(), serverArgs);
    }

    /** As {@link #command(boolean, List)}, with extra JVM options (not through the launcher). */
    public static List<String> command(boolean viaLauncher, List<String> jvmOptions, List<String> serverArgs) {
        List<String> cmd = new ArrayList<>();
        if (viaLauncher) {
            cmd.add(ItEnv.repoRoot().resolve("bin/fsnapd").toString());
        } else {
            cmd.add(javaExecutable());
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.addAll(HAZELCAST_JVM_FLAGS); // as bin/fsnapd: for the snapshot cluster (--cluster-*) on JDK 25
            cmd.addAll(JIT_FLAGS); // as bin/fsnapd: C1 only on one or two CPUs
            for (String opt : System.getProperty("fsnap.it.fsnapd.jvm", "-Xmx1g").split("\\s+")) {
                if (!opt.isBlank()) {
                    cmd.add(opt);
                }
            }
            cmd.addAll(jvmOptions);
            cmd.add("@" + classpathArgFile());
            cmd.add(MAIN_CLASS);
        }
        cmd.addAll(serverArgs);
        return cmd;
    }

    /** The java running this test (a JDK 25), or java.home's. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(c -> c.endsWith("/java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path classpathArgFile;

    /**
     * A java @argfile holding "-cp <the test classpath>" (which may be long). The class directories
     * of this repository on it (the modules' target/classes) are copied once per test JVM and the
     * copies used: several people build in the same tree, and a rebuild running at the same time
     * would otherwise take classes away from under a starting server (NoClassDefFoundError).
     * {@code -Dfsnap.it.freezeClasses=false} uses the directories as they are.
     */
    private static synchronized Path classpathArgFile() {
        if (classpathArgFile != null) {
            return classpathArgFile;
        }
        long pid = ProcessHandle.current().pid();
        Path file = ItEnv.targetDir().resolve("fsnapd-classpath-" + pid + ".args");
        try {
            Files.createDirectories(file.getParent());
            String cp = frozenClasspath(System.getProperty("java.class.path"), pid);
            String quoted = "\"" + cp.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            Files.writeString(file, "-cp\n" + quoted + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        classpathArgFile = file;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover argfile in target/ is harmless
            }
        }));
        return file;
    }

    private static String frozenClasspath(String cp, long pid) throws IOException {
        if (!Boolean.parseBoolean(System.getProperty("fsnap.it.freezeClasses", "true"))) {
            return cp;
        }
        Path root = ItEnv.repoRoot();
        Path frozenRoot = ItEnv.targetDir().resolve("fsnapd-classes");
        // Copies left by test JVMs that are gone.
        if (Files.isDirectory(frozenRoot)) {
            try (var old = Files.list(frozenRoot)) {
                for (Path d : old.toList()) {
                    boolean alive = d.getFileName().toString().matches("[0-9]+")
                            && ProcessHandle.of(Long.parseLong(d.getFileName().toString())).isPresent();
                    if (!alive) {
                        ItEnv.deleteTree(d);
                    }
                }
            }
        }
        Path frozen = frozenRoot.resolve(Long.toString(pid));
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (!entry.isEmpty() && Files.isDirectory(p) && p.startsWith(root) && p.getNameCount() >= 3) {
                Path copy = frozen.resolve(n++ + "-" + p.getParent().getParent().getFileName() + "-" + p.getFileName());
                copyTree(p, copy);
                out.add(copy.toString());
            } else {
                out.add(entry);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ItEnv.deleteTree(frozen)));
        return String.join(java.io.File.pathSeparator, out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path src : walk.toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    try {
                        Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // removed by a concurrent clean build while copying: nothing to freeze
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private List<String> serverArgs() {
        List<String> args = new ArrayList<>(List.of(exportFlag, exportDir.toString(),
                "--listen", "127.0.0.1:" + port));
        args.addAll(extraArgs);
        return args;
    }

    private void launchAndWait() throws InterruptedException {
        // A restarted server may briefly find its port still held: retry a few times.
        for (int attempt = 1; ; attempt++) {
            generation++;
            stopping = false;
            List<String> cmd = command(viaLauncher, jvmOptions, serverArgs());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .directory(ItEnv.targetDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start fsnapd: " + cmd, e);
            }
            System.out.printf("[fsnapd %s] started pid %d (start #%d): %s%n", name, process.pid(), generation,
                    String.join(" ", cmd));
            Process proc = process;
            Object ready = new Object();
            boolean[] listening = {false};
            synchronized (recent) {
                recent.clear();
            }
            Thread.ofPlatform().daemon().name("fsnapd-" + name + "-" + generation).start(() -> pump(proc, ready,
                    listening));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            synchronized (ready) {
                while (!listening[0] && proc.isAlive() && System.nanoTime() < deadline) {
                    ready.wait(200);
                }
            }
            if (listening[0]) {
                // "listening on" is logged once connections are accepted; check anyway.
                for (int i = 0; i < 50 && !ItEnv.listening(port); i++) {
                    Thread.sleep(100);
                }
                if (!ItEnv.listening(port)) {
                    fail("fsnapd logged '" + LISTENING + "' but 127.0.0.1:" + port + " accepts no connection; log "
                            + log + ":\n" + recentOutput());
                }
                return;
            }
            if (proc.isAlive()) {
                stopProcess();
                fail("fsnapd did not log '" + LISTENING + "' within " + START_TIMEOUT.toSeconds() + "s; log " + log
                        + ":\n" + recentOutput());
            }
            proc.waitFor(5, TimeUnit.SECONDS);
            String out = recentOutput();
            if (generation > 1 && attempt < 60 && out.toLowerCase().contains("in use")) {
                System.out.printf("[fsnapd %s] port %d still in use, retrying%n", name, port);
                Thread.sleep(1000);
                continue;
            }
            fail("fsnapd exited with status " + proc.exitValue() + " before listening; log " + log + ":\n" + out);
        }
    }

    private void pump(Process proc, Object ready, boolean[] listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            out.println("# ---- fsnapd start #" + generation + " pid " + proc.pid());
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (recent) {
                    recent.add(line);
                    if (recent.size() > 200) {
                        recent.removeFirst();
                    }
                }
                if (line.contains(LISTENING)) {
                    synchronized (ready) {
                        listening[0] = true;
                        ready.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            if (!stopping && proc == process) {
                System.err.println("[fsnapd " + name + "] output reader: " + e);
            }
        } finally {
            synchronized (ready) {
                ready.notifyAll();
            }
        }
    }

    /** The last lines fsnapd printed (for failure messages). */
    public String recentOutput() {
        synchronized (recent) {
            return String.join("\n", recent.subList(Math.max(0, recent.size() - 60), recent.size()));
        }
    }

    @Override
    public String name() {
        return "fsnapd";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String mountPath() {
        return "/";
    }

    @Override
    public Path exportDir() {
        return exportDir;
    }

    @Override
    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** Waits up to {@code seconds} for the JVM to end by itself (e.g. at a crash point); its exit status. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            fail("fsnapd " + name + " still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hook runs, nothing is released cleanly. */
    public void kill() throws InterruptedException {
        System.out.printf("[fsnapd %s] kill -9 pid %d%n", name, process.pid());
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (STOP, CONT, ...) to the JVM. */
    public void signal(String signal) throws IOException, InterruptedException {
        System.out.printf("[fsnapd %s] kill -%s pid %d%n", name, signal, process.pid());
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            fail("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void restart() throws InterruptedException {
        System.out.printf("[fsnapd %s] restarting on port %d%n", name, port);
        stopProcess();
        launchAndWait();
    }

    private void stopProcess() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        stopping = true;
        p.destroy(); // SIGTERM
        try {
            if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                System.err.printf("[fsnapd %s] did not stop within %ds of SIGTERM: killing it%n", name,
                        STOP_TIMEOUT.toSeconds());
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        System.out.printf("[fsnapd %s] stopped (exit %s)%n", name, p.isAlive() ? "?" : p.exitValue());
    }

    @Override
    public void close() {
        stopProcess();
    }
}
