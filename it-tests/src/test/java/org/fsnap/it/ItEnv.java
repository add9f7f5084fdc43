package org.fsnap.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * Where things are and small shared helpers for the end-to-end tests: the repository root, the
 * module's target directory, scratch directories, free loopback ports, loud skipping.
 */
public final class ItEnv {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss");

    private ItEnv() {
    }

    /** The repository root (the directory holding the parent pom.xml and it-tests/). */
    public static Path repoRoot() {
        String prop = System.getProperty("fsnap.repo.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("it-tests/nfsclient-vm")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the fsnap repository root from " + dir
                + " (set -Dfsnap.repo.root)");
    }

    /** it-tests/target (or -Dfsnap.it.target). */
    public static Path targetDir() {
        String prop = System.getProperty("fsnap.it.target");
        Path t = prop != null && !prop.isBlank() ? Path.of(prop) : repoRoot().resolve("it-tests/target");
        return t.toAbsolutePath().normalize();
    }

    public static Path nfsclientVmDir() {
        return repoRoot().resolve("it-tests/nfsclient-vm");
    }

    /** A fresh directory target/it-work/NAME-HHMMSS-N, created. */
    public static Path newWorkDir(String name) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path dir = targetDir().resolve("it-work").resolve(safe(name) + "-" + stamp + "-" + SEQ.incrementAndGet());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Log file target/it-logs/NAME.log (parent created). */
    public static Path logFile(String name) {
        Path dir = targetDir().resolve("it-logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(safe(name) + ".log");
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port. */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An executable called NAME on PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Skips the current test, saying why on stderr as well as in the report. */
    public static void skip(String reason) {
        String msg = "SKIPPED: " + reason;
        System.err.println();
        System.err.println("!!!!!!!!!! " + msg);
        System.err.println();
        Assumptions.abort(msg);
    }

    /** Skips the current test unless CONDITION holds. */
    public static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            skip(reason);
        }
    }

    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Deletes a tree, quietly (scratch directories of passed tests). */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("note: could not delete " + root + ": " + e);
        }
    }
}
