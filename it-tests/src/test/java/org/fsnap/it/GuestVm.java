package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One boot of the Linux NFS client guest (it-tests/nfsclient-vm/run-guest.sh): runs a POSIX sh
 * script as root in the guest against the NFS server listening on 127.0.0.1:{@link #port(int)},
 * and collects the script's output lines and exit status.
 *
 * <p>Guest scripts print {@code PASS ...}, {@code FAIL ...} and {@code INFO ...} lines, may print
 * {@code KEY value...} lines for the host to check, and exit non-zero when something failed.
 */
public final class GuestVm {

    /** Exit status of run-guest.sh when the guest ran out of time. */
    public static final int EXIT_TIMEOUT = 124;
    /** Exit status of run-guest.sh when the harness itself failed. */
    public static final int EXIT_HARNESS = 125;

    private final String name;
    private int port = 2049;
    private Path share;
    private Duration timeout = Duration.ofMinutes(5);
    private Integer memoryMiB;
    private final Map<String, String> env = new LinkedHashMap<>();

    public GuestVm(String name) {
        this.name = ItEnv.safe(name);
    }

    /** Host port of the NFS server (the guest always mounts port 2049 of nfs-server). */
    public GuestVm port(int port) {
        this.port = port;
        return this;
    }

    /** Host directory mounted read-write on /share in the guest. */
    public GuestVm share(Path dir) {
        this.share = dir;
        return this;
    }

    /** The guest is powered off after this long (exit status 124). */
    public GuestVm timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public GuestVm memoryMiB(int mib) {
        this.memoryMiB = mib;
        return this;
    }

    /** Another variable for run-guest.sh (NFSVM_*). */
    public GuestVm env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- availability

    static Path cacheDir() {
        String c = System.getenv("NFSVM_CACHE");
        return Path.of(c != null && !c.isBlank() ? c : "/var/tmp/nfsclient-vm");
    }

    static Path runGuestScript() {
        return ItEnv.nfsclientVmDir().resolve("run-guest.sh");
    }

    /** Why the guest cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(runGuestScript())) {
            return Optional.of(runGuestScript() + " is missing or not executable");
        }
        if (ItEnv.onPath("qemu-system-x86_64").isEmpty()) {
            return Optional.of("qemu-system-x86_64 not found: the Linux NFS client guest cannot run here"
                    + " (apt-get install qemu-system-x86 socat busybox-static nfs-common attr cpio xz-utils)");
        }
        if (ItEnv.onPath("socat").isEmpty()) {
            return Optional.of("socat not found: the guest's network forward needs it (apt-get install socat)");
        }
        Path cache = cacheDir();
        if (!nonEmpty(cache.resolve("initramfs.cpio"))
                || !(nonEmpty(cache.resolve("vmlinux")) || nonEmpty(cache.resolve("vmlinuz")))) {
            return Optional.of("no NFS client guest image in " + cache
                    + ": run it-tests/nfsclient-vm/build.sh first (bin/fsnap-test does)");
        }
        return Optional.empty();
    }

    /** Skips the calling test, loudly, when the guest cannot run on this machine. */
    public static void assumeAvailable() {
        unavailableReason().ifPresent(ItEnv::skip);
    }

    private static boolean nonEmpty(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The guest script {@code guest/NAME} from the test resources, as a file run-guest.sh can
     * take; the scripts' shared {@code guest/lib.sh} is beside it, so run-guest.sh ships it too.
     */
    public static Path script(String name) {
        URL url = GuestVm.class.getResource("/guest/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no guest script guest/" + name + " in the test resources");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path dir = ItEnv.targetDir().resolve("guest-scripts");
            Files.createDirectories(dir);
            Path out = dir.resolve(name);
            try (var in = url.openStream()) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            try (var in = GuestVm.class.getResourceAsStream("/guest/lib.sh")) {
                if (in != null) {
                    Files.copy(in, dir.resolve("lib.sh"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- running

    /** Boots the guest, runs SCRIPT ARGS, and waits for the guest to power off. */
    public Result run(Path script, String... args) {
        try (Running r = start(script, args)) {
            return r.await();
        }
    }

    /** Boots the guest and returns at once; lines arrive while it runs. */
    public Running start(Path script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runGuestScript().toString());
        cmd.add(script.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path log = ItEnv.logFile("guest-" + name);
        Path console = ItEnv.logFile("guest-" + name + ".console");
        Map<String, String> e = pb.environment();
        e.put("NFSVM_PORT", Integer.toString(port));
        e.put("NFSVM_TIMEOUT", Long.toString(Math.max(10, timeout.toSeconds())));
        e.put("NFSVM_CONSOLE", console.toString());
        if (share != null) {
            e.put("NFSVM_SHARE", share.toAbsolutePath().toString());
        }
        if (memoryMiB != null) {
            e.put("NFSVM_MEM", memoryMiB.toString());
        }
        e.putAll(env);
        System.out.printf("[guest %s] run-guest.sh %s %s (server port %d, timeout %ds)%n", name,
                script.getFileName(), String.join(" ", args), port, timeout.toSeconds());
        try {
            return new Running(this, pb.start(), log, console, String.join(" ", cmd));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + cmd, ex);
        }
    }

    /** A guest that is (or was) running. Closing it kills the guest if it is still up. */
    public static final class Running implements AutoCloseable {
        private final GuestVm vm;
        private final Process process;
        private final Path log;
        private final Path console;
        private final String command;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private final long startNanos = System.nanoTime();
        private boolean eof;

        private Running(GuestVm vm, Process process, Path log, Path console, String command) {
            this.vm = vm;
            this.process = process;
            this.log = log;
            this.console = console;
            this.command = command;
            this.reader = Thread.ofPlatform().daemon().name("guest-" + vm.name).start(this::pump);
        }

        private void pump() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                out.println("# " + command);
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    System.out.println("[guest " + vm.name + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                System.err.println("[guest " + vm.name + "] output reader: " + e);
            } finally {
                synchronized (lines) {
                    eof = true;
                    lines.notifyAll();
                }
            }
        }

        /** Output lines so far. */
        public List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /**
         * Waits for an output line matching MATCH; fails the test when the guest ends or the wait
         * exceeds WITHIN first.
         */
        public String awaitLine(Predicate<String> match, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            int seen = 0;
            synchronized (lines) {
                while (true) {
                    for (; seen < lines.size(); seen++) {
                        if (match.test(lines.get(seen))) {
                            return lines.get(seen);
                        }
                    }
                    if (eof) {
                        fail("guest " + vm.name + " ended before the expected line; output:\n" + tail(lines, 60));
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("guest " + vm.name + ": no expected line within " + within.toSeconds() + "s; output:\n"
                                + tail(lines, 60));
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        /**
         * Waits for the guest to end: its own timeout, plus a margin for booting and powering off,
         * after which the whole process tree is killed.
         */
        public Result await() {
            Duration limit = vm.timeout.plusSeconds(60);
            try {
                if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                    System.err.println("[guest " + vm.name + "] still running after " + limit.toSeconds()
                            + "s: killing it");
                    kill();
                }
                reader.join(10_000);
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for guest " + vm.name, e);
            }
            int rc = process.isAlive() ? -1 : process.exitValue();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            System.out.printf("[guest %s] exit status %d after %.1fs (log %s)%n", vm.name, rc,
                    took.toMillis() / 1000.0, log);
            return new Result(vm.name, rc, lines(), took, log, console);
        }

        private void kill() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    /** What a guest run printed and how it ended. */
    public record Result(String name, int exitCode, List<String> lines, Duration elapsed, Path log, Path console) {

        /** Exit status 0 and no FAIL line. */
        public boolean passed() {
            return exitCode == 0 && failLines().isEmpty();
        }

        public List<String> failLines() {
            return lines.stream().filter(l -> l.startsWith("FAIL")).toList();
        }

        /** Words after KEY on the first line starting with "KEY ", e.g. "SHA256 rw/big abc..." */
        public Optional<List<String>> keyed(String key, String firstWord) {
            for (String l : lines) {
                String[] w = l.trim().split("\\s+");
                if (w.length >= 2 && w[0].equals(key) && (firstWord == null || w[1].equals(firstWord))) {
                    return Optional.of(List.of(w).subList(1, w.length));
                }
            }
            return Optional.empty();
        }

        /** Fails the test, with the guest's output, unless {@link #passed()}. */
        public Result assertPassed() {
            if (!passed()) {
                StringBuilder sb = new StringBuilder();
                sb.append("guest ").append(name).append(": ").append(describeExit(exitCode));
                List<String> fails = failLines();
                if (!fails.isEmpty()) {
                    sb.append("; ").append(fails.size()).append(" check(s) failed:\n  ")
                            .append(String.join("\n  ", fails));
                }
                sb.append("\n--- guest output (last lines; full log ").append(log).append(", kernel console ")
                        .append(console).append(") ---\n").append(tail(lines, 80));
                fail(sb.toString());
            }
            return this;
        }

        public static String describeExit(int rc) {
            return switch (rc) {
                case 0 -> "script exited 0";
                case EXIT_TIMEOUT -> "guest TIMED OUT (exit 124): a hung NFS operation?";
                case EXIT_HARNESS -> "guest harness failure (exit 125)";
                case -1 -> "guest process did not end";
                default -> "script exited " + rc;
            };
        }
    }

    static String tail(List<String> lines, int n) {
        synchronized (lines) {
            int from = Math.max(0, lines.size() - n);
            return String.join("\n", lines.subList(from, lines.size()));
        }
    }
}
