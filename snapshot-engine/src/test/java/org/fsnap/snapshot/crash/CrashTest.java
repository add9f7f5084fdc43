package org.fsnap.snapshot.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.crash.CrashScenario.Op;
import org.fsnap.snapshot.faults.CrashPoints;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEventCodec;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.testing.Commands;
import org.fsnap.snapshot.testing.MountedFilesystems;
import org.fsnap.snapshot.testing.ScratchFilesystem;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a child JVM running create / revert / delete at every named step ({@code -Dfsnap.crashAt}, which
 * halts like kill -9) and at random moments (a real SIGKILL), then runs recovery in this JVM and checks
 * every invariant: each operation done or not done, no half-written snapshot, the live file equal to one
 * of its valid contents on the same inode, the catalogue equal to a replay of the store, and a second
 * start-up finding nothing to repair.
 */
class CrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashTest.class);

    /** Crash points reached with a streamed copy (so copies are chunked and can die half way). */
    private static final List<Run> COPY_RUNS = List.of(
            new Run(Op.CREATE, "create.after-identity"),
            new Run(Op.CREATE, "create.after-content-file"),
            new Run(Op.CREATE, "copy.chunk#1"),
            new Run(Op.CREATE, "copy.chunk#4"),
            new Run(Op.CREATE, "create.after-content-sync"),
            new Run(Op.CREATE, "log.torn-append"),
            new Run(Op.CREATE, "create.after-commit"),
            new Run(Op.REVERT, "log.torn-append"),
            new Run(Op.REVERT, "revert.after-intent"),
            new Run(Op.REVERT, "revert.after-truncate"),
            new Run(Op.REVERT, "copy.chunk#2"),
            new Run(Op.REVERT, "revert.before-sync"),
            new Run(Op.REVERT, "revert.after-apply"),
            new Run(Op.REVERT, "log.torn-append#2"),
            new Run(Op.REVERT, "revert.after-commit"),
            new Run(Op.DELETE, "log.torn-append"),
            new Run(Op.DELETE, "delete.after-commit"),
            new Run(Op.DELETE, "delete.after-content-removed"),
            new Run(Op.CREATE_FIRST, "create.after-identity"),
            new Run(Op.CREATE_FIRST, "create.after-content-file"),
            new Run(Op.CREATE_FIRST, "copy.chunk#2"),
            new Run(Op.CREATE_FIRST, "create.after-content-sync"),
            new Run(Op.CREATE_FIRST, "log.torn-append"),
            new Run(Op.CREATE_FIRST, "create.after-commit"),
            new Run(Op.DELETE_ONLY, "log.torn-append"),
            new Run(Op.DELETE_ONLY, "delete.after-commit"),
            new Run(Op.DELETE_ONLY, "history.remove-before-log"),
            new Run(Op.REVERT_TWICE, "compact.after-write"),
            new Run(Op.REVERT_TWICE, "compact.after-rename"),
            new Run(Op.REVERT_TWICE, "log.torn-append#3"),
            new Run(Op.REVERT_TWICE, "revert.after-intent#2"));

    /** Crash points reached with the filesystem's own strategy (FICLONE on XFS: no chunks). */
    private static final List<Run> CLONE_RUNS = List.of(
            new Run(Op.CREATE, "create.after-content-file"),
            new Run(Op.CREATE, "create.after-content-sync"),
            new Run(Op.CREATE, "log.torn-append"),
            new Run(Op.CREATE, "create.after-commit"),
            new Run(Op.REVERT, "log.torn-append"),
            new Run(Op.REVERT, "revert.after-intent"),
            new Run(Op.REVERT, "revert.after-truncate"),
            new Run(Op.REVERT, "revert.before-sync"),
            new Run(Op.REVERT, "revert.after-apply"),
            new Run(Op.REVERT, "log.torn-append#2"),
            new Run(Op.DELETE, "delete.after-commit"),
            new Run(Op.CREATE_FIRST, "create.after-identity"),
            new Run(Op.CREATE_FIRST, "create.after-content-sync"),
            new Run(Op.DELETE_ONLY, "history.remove-before-log"),
            new Run(Op.REVERT_TWICE, "compact.after-write"),
            new Run(Op.REVERT_TWICE, "revert.after-intent#2"));

    private static final int RANDOM_KILLS_COPY = 6;
    private static final int RANDOM_KILLS_CLONE = 6;

    private record Run(Op op, String crashPoint) {
    }

    @TempDir
    static Path hostTemp;

    private static MountedFilesystems filesystems;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** The child JVMs' class path: private copies, so a concurrent rebuild of target/ cannot break them. */
    private static String childClassPath;

    @BeforeAll
    static void mount() throws Exception {
        filesystems = MountedFilesystems.mount(512L << 20, Kind.XFS_REFLINK);
        Path copies = Files.createDirectory(hostTemp.resolve("classpath"));
        Set<String> entries = new java.util.LinkedHashSet<>();
        for (Class<?> c : List.of(SnapshotEngine.class, CrashWorkload.class, LoggerFactory.class,
                ch.qos.logback.classic.Logger.class, ch.qos.logback.core.Appender.class)) {
            Path origin = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(origin)) {
                Path copy = copies.resolve(Integer.toString(entries.size()));
                try (Stream<Path> walk = Files.walk(origin)) {
                    for (Path p : walk.toList()) {
                        Files.copy(p, copy.resolve(origin.relativize(p).toString()));
                    }
                }
                entries.add(copy.toString());
            } else {
                entries.add(origin.toString());
            }
        }
        childClassPath = String.join(java.io.File.pathSeparator, entries);
    }

    @AfterAll
    static void unmount() {
        LOG.info("crash test: {} child JVMs killed and recovered", RUNS.get());
        if (filesystems != null) {
            filesystems.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> killAtEveryStepAndAtRandom() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Run run : COPY_RUNS) {
            tests.add(DynamicTest.dynamicTest("STREAM_COPY " + run.op() + " killed at " + run.crashPoint(),
                    () -> crashAt(hostBase(), CloneStrategy.STREAM_COPY, run)));
        }
        for (Run run : CLONE_RUNS) {
            tests.add(DynamicTest.dynamicTest("filesystem strategy " + run.op() + " killed at " + run.crashPoint(),
                    () -> crashAt(cloneBase(), null, run)));
        }
        for (int i = 0; i < RANDOM_KILLS_COPY; i++) {
            long seed = 1000 + i;
            tests.add(DynamicTest.dynamicTest("STREAM_COPY random loop killed by SIGKILL, seed " + seed,
                    () -> killAtRandom(hostBase(), CloneStrategy.STREAM_COPY, seed)));
        }
        for (int i = 0; i < RANDOM_KILLS_CLONE; i++) {
            long seed = 2000 + i;
            tests.add(DynamicTest.dynamicTest("filesystem strategy random loop killed by SIGKILL, seed " + seed,
                    () -> killAtRandom(cloneBase(), null, seed)));
        }
        return tests.stream();
    }

    private static Path hostBase() {
        if (!Commands.isRoot()) {
            LOG.warn("SKIPPED: crash tests need root for the trusted.fsnap.id xattr");
            Assumptions.abort("not root");
        }
        return hostTemp;
    }

    /** XFS with reflinks when it can be mounted, else (loudly) the host's temp filesystem. */
    private static Path cloneBase() throws IOException {
        hostBase();
        try {
            return filesystems.get(Kind.XFS_REFLINK).root();
        } catch (org.opentest4j.TestAbortedException e) {
            LOG.warn("no XFS here: running the filesystem-strategy crash runs on the host temp filesystem");
            return hostTemp;
        }
    }

    // ------------------------------------------------------------------ runs

    private void crashAt(Path base, CloneStrategy forced, Run run) throws Exception {
        Path export = newExport(base);
        CrashScenario.setUp(export, forced);
        long inode = inode(CrashScenario.f(export));
        Path output = export.resolveSibling(export.getFileName() + ".out");
        Process child = startChild(export, forced, run.op(), run.crashPoint(), 0, output);
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("child did not reach " + run.crashPoint() + " in time:\n" + Files.readString(output));
        }
        assertEquals(CrashPoints.EXIT_CODE, child.exitValue(),
                "child should die at " + run.crashPoint() + "; its output:\n" + Files.readString(output));
        verify(export, forced, run.op(), inode);
        RUNS.incrementAndGet();
        ScratchFilesystem.deleteTree(export);
        Files.deleteIfExists(output);
    }

    private void killAtRandom(Path base, CloneStrategy forced, long seed) throws Exception {
        Path export = newExport(base);
        CrashScenario.setUp(export, forced);
        long inode = inode(CrashScenario.f(export));
        Path output = export.resolveSibling(export.getFileName() + ".out");
        Process child = startChild(export, forced, Op.RANDOM_LOOP, null, seed, output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(output).contains("READY")) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly().waitFor();
                fail("child did not start:\n" + Files.readString(output));
            }
            Thread.sleep(10);
        }
        Thread.sleep(20 + new Random(seed).nextInt(400));
        assertTrue(child.isAlive(), "the loop must still be running:\n" + Files.readString(output));
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
        LOG.info("killed the random loop (seed {}) after {} operations", seed,
                Files.readString(output).lines().filter(l -> l.startsWith("OP")).count());
        verify(export, forced, Op.RANDOM_LOOP, inode);
        RUNS.incrementAndGet();
        ScratchFilesystem.deleteTree(export);
        Files.deleteIfExists(output);
    }

    private static Path newExport(Path base) throws IOException {
        return Files.createDirectory(base.resolve("crash-" + System.nanoTime()));
    }

    private static Process startChild(Path export, CloneStrategy forced, Op op, String crashPoint, long seed,
                                      Path output) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dfsnap.copy.chunkBytes=16384",
                "-cp", childClassPath));
        if (crashPoint != null) {
            command.add("-D" + CrashPoints.PROPERTY + "=" + crashPoint);
        }
        command.addAll(List.of(CrashWorkload.class.getName(), export.toString(), op.name(),
                forced == null ? "DEFAULT" : forced.name(), Long.toString(seed)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    // ------------------------------------------------------------------ invariants

    private void verify(Path export, CloneStrategy forced, Op op, long inode) throws IOException {
        Path f = CrashScenario.f(export);
        List<String> names;
        try (SnapshotEngine engine = SnapshotEngine.open(CrashScenario.config(export, forced))) {
            checkStore(engine);
            assertEquals(inode, inode(f), "the live file kept its inode");
            names = names(engine.list(f));
            Optional<String> current = engine.current(f);
            byte[] live = Files.readAllBytes(f);
            switch (op) {
                case CREATE -> {
                    assertTrue(names.equals(List.of("one", "two", "three"))
                            || names.equals(List.of("one", "two", "three", "four")), names.toString());
                    assertArrayEquals(CrashScenario.C4, live);
                    if (names.contains("four")) {
                        assertEquals(Optional.of("three"), engine.list(f).get(3).parent());
                        assertEquals(Optional.of("four"), current);
                    } else {
                        assertEquals(Optional.of("three"), current);
                    }
                }
                case REVERT -> {
                    assertEquals(List.of("one", "two", "three"), names);
                    assertLiveMatchesCurrent(live, current, List.of("three", "one"));
                }
                case REVERT_TWICE -> {
                    assertEquals(List.of("one", "two", "three"), names);
                    assertLiveMatchesCurrent(live, current, List.of("three", "one", "two"));
                }
                case DELETE -> {
                    assertArrayEquals(CrashScenario.C4, live);
                    assertEquals(Optional.of("three"), current);
                    List<SnapshotInfo> list = engine.list(f);
                    if (names.contains("two")) {
                        assertEquals(List.of("one", "two", "three"), names);
                        assertEquals(Optional.of("two"), list.get(2).parent());
                    } else {
                        assertEquals(List.of("one", "three"), names);
                        assertEquals(Optional.of("one"), list.get(1).parent());
                    }
                }
                case CREATE_FIRST -> {
                    List<String> g = names(engine.list(CrashScenario.g(export)));
                    assertTrue(g.isEmpty() || g.equals(List.of("g1")), g.toString());
                    assertArrayEquals(CrashScenario.CG, Files.readAllBytes(CrashScenario.g(export)));
                    assertEquals(List.of("one", "two", "three"), names);
                }
                case DELETE_ONLY -> {
                    Path h = CrashScenario.h(export);
                    List<String> hs = names(engine.list(h));
                    assertTrue(hs.isEmpty() || hs.equals(List.of("h1")), hs.toString());
                    if (hs.isEmpty()) {
                        FileKey key = engine.keyOf(h).orElseThrow();
                        assertFalse(Files.exists(engine.storeDirectory().resolve("files").resolve(key.toString())),
                                "a history without snapshots is removed");
                    }
                    assertArrayEquals(CrashScenario.CH, Files.readAllBytes(h));
                }
                case RANDOM_LOOP -> assertTrue(CrashScenario.F_CONTENTS.stream().anyMatch(c -> Arrays.equals(c, live)),
                        "live file holds one of the valid contents, not a torn mix");
            }
        }
        try (SnapshotEngine engine = SnapshotEngine.open(CrashScenario.config(export, forced))) {
            assertEquals(0, engine.recoveryRepairs(), "a second start-up finds nothing to repair");
            // And the engine keeps working on the recovered state.
            engine.create(f, "after-crash");
            String target = names.getFirst();
            engine.revert(f, target);
            try (FileChannel snapshot = engine.openSnapshot(engine.keyOf(f).orElseThrow(), target)) {
                assertEquals(snapshot.size(), Files.size(f));
            }
        }
    }

    private static void assertLiveMatchesCurrent(byte[] live, Optional<String> current, List<String> allowed) {
        assertTrue(current.isPresent() && allowed.contains(current.get()), "current " + current);
        byte[] expected = current.get().equals("three") ? CrashScenario.C4 : CrashScenario.BY_NAME.get(current.get());
        assertArrayEquals(expected, live, "live content matches the current snapshot " + current.get());
    }

    /** Store ⇔ catalogue, every content file whole, nothing stray. */
    private static void checkStore(SnapshotEngine engine) throws IOException {
        Path store = engine.storeDirectory();
        assertEquals(Set.of("FORMAT", "LOCK", "files"), listNames(store), "store root holds no debris");
        try (Stream<Path> histories = Files.list(store.resolve("files"))) {
            for (Path dir : histories.toList()) {
                FileKey key = FileKey.parse(dir.getFileName().toString());
                HistoryEventCodec.Decoded log = HistoryEventCodec.decode(Files.readAllBytes(dir.resolve("history.log")));
                assertFalse(log.torn(), "no torn log record after recovery");
                FileHistory history = FileHistory.replay(key, log.events());
                assertFalse(history.isEmpty(), "no history without snapshots");
                assertTrue(history.pendingRevert().isEmpty(), "no unfinished revert");
                assertEquals(history.toInfos(), engine.list(key), "catalogue equals the store");
                Set<String> expectedFiles = new TreeSet<>(Set.of("history.log"));
                for (SnapshotRecord s : history.snapshots()) {
                    expectedFiles.add(s.serial() + ".snap");
                    assertTrue(s.parentSerial() == 0 || history.find(s.parentSerial()).isPresent(), "parent exists");
                    byte[] content = Files.readAllBytes(dir.resolve(s.serial() + ".snap"));
                    assertEquals(s.size(), content.length, "recorded size of " + s.name());
                    byte[] expected = CrashScenario.BY_NAME.get(s.name());
                    if (expected != null) {
                        assertArrayEquals(expected, content, "content of snapshot " + s.name());
                    } else {
                        assertTrue(CrashScenario.F_CONTENTS.stream().anyMatch(c -> Arrays.equals(c, content)),
                                "snapshot " + s.name() + " is one whole valid content");
                    }
                }
                assertEquals(expectedFiles, listNames(dir), "history directory holds exactly its files");
            }
        }
    }

    private static Set<String> listNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return new TreeSet<>(entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static List<String> names(List<SnapshotInfo> infos) {
        return infos.stream().map(SnapshotInfo::name).toList();
    }

    private static long inode(Path file) throws IOException {
        return (long) Files.getAttribute(file, "unix:ino");
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
