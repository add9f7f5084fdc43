package org.fsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.fsnap.snapshot.testing.Commands;
import org.fsnap.snapshot.testing.MountedFilesystems;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's behaviour on real XFS (reflink), ext4 and tmpfs mounts. */
class SnapshotEngineTest {

    private static MountedFilesystems filesystems;

    @BeforeAll
    static void mount() {
        filesystems = MountedFilesystems.mount(512L << 20, Kind.values());
    }

    @AfterAll
    static void unmount() {
        if (filesystems != null) {
            filesystems.close();
        }
    }

    // ------------------------------------------------------------------ the seeds' check

    @ParameterizedTest
    @EnumSource(Kind.class)
    void seedsCheck(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            seeds(engine, export.resolve("disk.img"));
            CloneStrategy expected = kind == Kind.XFS_REFLINK ? CloneStrategy.FICLONE : CloneStrategy.COPY_FILE_RANGE;
            assertEquals(expected, engine.strategy());
            assertTrue(engine.list(export.resolve("disk.img")).stream().allMatch(s -> s.strategy() == expected));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void seedsCheckWithStreamedCopy(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        SnapshotEngineConfig config = SnapshotEngineConfig.builder(export)
                .forcedStrategy(CloneStrategy.STREAM_COPY).build();
        try (SnapshotEngine engine = SnapshotEngine.open(config)) {
            seeds(engine, export.resolve("disk.img"));
            assertEquals(CloneStrategy.STREAM_COPY, engine.list(export.resolve("disk.img")).getFirst().strategy());
        }
    }

    private static void seeds(SnapshotEngine engine, Path file) throws IOException {
        write(file, "ABCDEFGHIJ");
        engine.create(file, "image1");
        write(file, "1234567890");
        engine.create(file, "image2");
        engine.revert(file, "image1");
        assertEquals("ABCDEFGHIJ", read(file));
        assertEquals(Optional.of("image1"), engine.current(file));
        engine.revert(file, "image2");
        assertEquals("1234567890", read(file));
        assertEquals(Optional.of("image2"), engine.current(file));
    }

    // ------------------------------------------------------------------ history shape

    @ParameterizedTest
    @EnumSource(Kind.class)
    void branchingHistoryAndReparentingOnDelete(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("branchy");
            write(f, "A");
            engine.create(f, "a");
            write(f, "B");
            engine.create(f, "b");
            write(f, "C");
            engine.create(f, "c");
            engine.revert(f, "b");
            write(f, "D");
            SnapshotInfo d = engine.create(f, "d");
            assertEquals(Optional.of("b"), d.parent());
            assertEquals(List.of("a", "b", "c", "d"), names(engine.list(f)));
            assertEquals(List.of(Optional.empty(), Optional.of("a"), Optional.of("b"), Optional.of("b")),
                    parents(engine.list(f)));
            assertEquals(Optional.of("d"), engine.current(f));

            engine.delete(f, "b");
            assertEquals(List.of("a", "c", "d"), names(engine.list(f)));
            assertEquals(List.of(Optional.empty(), Optional.of("a"), Optional.of("a")), parents(engine.list(f)));
            FileKey key = engine.keyOf(f).orElseThrow();
            assertEquals("C", content(engine, key, "c"));
            assertEquals("D", content(engine, key, "d"));

            // Deleting the current snapshot makes its parent current (libvirt's rule).
            engine.delete(f, "d");
            assertEquals(Optional.of("a"), engine.current(f));
            write(f, "E");
            assertEquals(Optional.of("a"), engine.create(f, "e").parent());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deleteInTheMiddleKeepsOthersIntact(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("middle.bin");
            List<byte[]> contents = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < 5; i++) {
                byte[] data = new byte[100_000 + i * 7919];
                random.nextBytes(data);
                contents.add(data);
                Files.write(f, data);
                engine.create(f, "s" + i);
            }
            engine.delete(f, "s2");
            assertEquals(List.of("s0", "s1", "s3", "s4"), names(engine.list(f)));
            assertEquals(Optional.of("s1"), engine.list(f).get(2).parent());
            FileKey key = engine.keyOf(f).orElseThrow();
            for (int i : new int[] {0, 1, 3, 4}) {
                assertArrayEquals(contents.get(i), bytes(engine, key, "s" + i));
                assertEquals(contents.get(i).length, engine.snapshot(key, "s" + i).size());
                assertArrayEquals(contents.get(i), Files.readAllBytes(engine.snapshotContent(key, "s" + i)),
                        "where readers map it from");
            }
            assertThrows(SnapshotNotFoundException.class, () -> engine.snapshotContent(key, "s2"));
            engine.revert(f, "s3");
            assertArrayEquals(contents.get(3), Files.readAllBytes(f));
            assertThrows(SnapshotNotFoundException.class, () -> engine.revert(f, "s2"));
            assertThrows(SnapshotNotFoundException.class, () -> engine.delete(f, "s2"));
            try (var files = Files.list(engine.storeDirectory().resolve("files").resolve(key.toString()))) {
                assertEquals(5, files.count(), "4 content files and the log");
            }
        }
    }

    // ------------------------------------------------------------------ identity follows the inode

    @ParameterizedTest
    @EnumSource(Kind.class)
    void renameKeepsHistory(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("before.txt");
            write(f, "one");
            engine.create(f, "s1");
            FileKey key = engine.keyOf(f).orElseThrow();
            Path sub = Files.createDirectory(export.resolve("sub"));
            Path moved = sub.resolve("after.txt");
            Files.move(f, moved);
            assertEquals(Optional.of(key), engine.keyOf(moved));
            assertEquals(List.of("s1"), names(engine.list(moved)));
            write(moved, "two");
            engine.revert(moved, "s1");
            assertEquals("one", read(moved));

            // Moved by someone else (no hook): the new directory's view finds it and re-locates it.
            Path again = export.resolve("again.txt");
            Files.move(moved, again);
            List<SnapshottedFile> inRoot = engine.filesWithSnapshots(export);
            assertEquals(List.of("again.txt"), inRoot.stream().map(SnapshottedFile::viewName).toList());
            assertFalse(inRoot.getFirst().orphaned());
            assertEquals(List.of(), engine.filesWithSnapshots(sub));

            // With the hook, the old directory never shows it as an orphan.
            Path third = sub.resolve("third.txt");
            Files.move(again, third);
            engine.liveFileMoved(key, third);
            assertEquals(List.of(), engine.filesWithSnapshots(export));
            assertEquals(List.of("third.txt"),
                    engine.filesWithSnapshots(sub).stream().map(SnapshottedFile::viewName).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unlinkedFileKeepsSnapshotsAsOrphanAndNewFileDoesNotInherit(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        Path f = export.resolve("report.txt");
        FileKey key;
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            write(f, "v1");
            engine.create(f, "first");
            write(f, "v2");
            engine.create(f, "second");
            key = engine.keyOf(f).orElseThrow();
            Files.delete(f);
            engine.liveFileRemoved(key, f, 0);

            List<SnapshottedFile> view = engine.filesWithSnapshots(export);
            assertEquals(1, view.size());
            assertTrue(view.getFirst().orphaned());
            assertEquals("report.txt@" + key.shortId(), view.getFirst().viewName());
            assertEquals(Optional.of(view.getFirst()), engine.findInView(export, "report.txt@" + key.shortId()));
            assertEquals("v1", content(engine, key, "first"));

            // A new file under the old name (maybe even the old inode number) starts empty.
            write(f, "new");
            assertEquals(Optional.empty(), engine.keyOf(f));
            assertEquals(List.of(), engine.list(f));
            engine.create(f, "first");
            FileKey newKey = engine.keyOf(f).orElseThrow();
            assertFalse(newKey.equals(key));
            assertEquals(List.of("report.txt", "report.txt@" + key.shortId()),
                    engine.filesWithSnapshots(export).stream().map(SnapshottedFile::viewName).toList());

            // Removed without the hook: detected because its recorded path no longer holds it.
            Path other = export.resolve("other.txt");
            write(other, "x");
            engine.create(other, "");
            FileKey otherKey = engine.keyOf(other).orElseThrow();
            Files.delete(other);
            assertTrue(engine.filesWithSnapshots(export).stream()
                    .anyMatch(e -> e.viewName().equals("other.txt@" + otherKey.shortId()) && e.orphaned()));
        }
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(List.of("first", "second"), names(engine.list(key)));
            assertEquals("v2", content(engine, key, "second"));
            engine.delete(key, "first");
            engine.delete(key, "second");
            assertEquals(List.of(), engine.list(key));
            assertFalse(engine.filesWithSnapshots(export).stream().anyMatch(e -> e.key().equals(key)));
            assertFalse(Files.exists(engine.storeDirectory().resolve("files").resolve(key.toString())));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void hardLinksShareOneHistory(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("a");
            write(f, "shared-1");
            engine.create(f, "one");
            Path link = Files.createLink(export.resolve("b"), f);
            assertEquals(engine.keyOf(f), engine.keyOf(link));
            write(link, "shared-2");
            engine.create(link, "two");
            assertEquals(List.of("one", "two"), names(engine.list(f)));
            engine.revert(link, "one");
            assertEquals("shared-1", read(f));
            assertEquals(Optional.of("one"), engine.current(f));

            FileKey key = engine.keyOf(f).orElseThrow();
            Files.delete(f);
            engine.liveFileRemoved(key, f, 1); // another link remains: not an orphan
            assertEquals(List.of("b"),
                    engine.filesWithSnapshots(export).stream().map(SnapshottedFile::viewName).toList());
        }
    }

    // ------------------------------------------------------------------ revert in place

    @ParameterizedTest
    @EnumSource(Kind.class)
    void revertKeepsInodeAndOpenChannelsSeeNewContent(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("inplace.bin");
            byte[] big = pattern(300_000, 1);
            byte[] small = pattern(5_000, 2);
            Files.write(f, big);
            engine.create(f, "big");
            Files.write(f, small);
            engine.create(f, "small");
            long inode = inode(f);

            try (FileChannel reader = FileChannel.open(f, StandardOpenOption.READ)) {
                assertEquals(small.length, reader.size());
                engine.revert(f, "big"); // grows
                assertEquals(inode, inode(f));
                assertEquals(big.length, reader.size());
                assertArrayEquals(big, readAll(reader));

                engine.revert(f, "small"); // shrinks
                assertEquals(inode, inode(f));
                assertEquals(small.length, reader.size());
                assertArrayEquals(small, readAll(reader));
            }
            assertArrayEquals(small, Files.readAllBytes(f));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void emptyFilesAndUnalignedSizesRoundTrip(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("sizes");
            int[] sizes = {0, 1, 4095, 4096, 4097, 65_537};
            for (int size : sizes) {
                Files.write(f, pattern(size, size));
                engine.create(f, "size-" + size);
            }
            for (int i = sizes.length - 1; i >= 0; i--) { // shrinking and growing reverts, ending at 0 bytes
                engine.revert(f, "size-" + sizes[i]);
                assertArrayEquals(pattern(sizes[i], sizes[i]), Files.readAllBytes(f));
                assertEquals(sizes[i], engine.snapshot(engine.keyOf(f).orElseThrow(), "size-" + sizes[i]).size());
            }
        }
    }

    // ------------------------------------------------------------------ names, limits, bad input

    @ParameterizedTest
    @EnumSource(Kind.class)
    void automaticNamesAreUtcWithSuffixes(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        Clock fixed = Clock.fixed(Instant.parse("2026-11-22T19:30:00.123Z"), ZoneOffset.UTC);
        try (SnapshotEngine engine = SnapshotEngine.open(SnapshotEngineConfig.builder(export).clock(fixed).build())) {
            Path f = export.resolve("auto");
            write(f, "x");
            assertEquals("20261122T193000Z", engine.create(f, "").name());
            assertEquals("20261122T193000Z-2", engine.create(f, "").name());
            assertEquals("20261122T193000Z-3", engine.create(f, "").name());
            assertEquals(Instant.parse("2026-11-22T19:30:00.123Z"), engine.list(f).getFirst().created());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badInputIsRefusedWithDistinctErrors(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("file");
            write(f, "content");
            for (String bad : List.of(".", "..", "a/b", "nul\0byte", "x".repeat(256), "é".repeat(128))) {
                assertThrows(InvalidSnapshotNameException.class, () -> engine.create(f, bad), bad);
            }
            assertEquals("é".repeat(127), engine.create(f, "é".repeat(127)).name()); // 254 bytes
            assertEquals("x".repeat(255), engine.create(f, "x".repeat(255)).name());
            assertThrows(InvalidSnapshotNameException.class, () -> engine.revert(f, ""));
            engine.create(f, "dup");
            assertThrows(SnapshotExistsException.class, () -> engine.create(f, "dup"));
            assertThrows(SnapshotNotFoundException.class, () -> engine.revert(f, "nope"));
            assertThrows(SnapshotNotFoundException.class, () -> engine.delete(f, "nope"));

            Path dir = Files.createDirectory(export.resolve("dir"));
            assertThrows(NotRegularFileException.class, () -> engine.create(dir, "s"));
            Path link = Files.createSymbolicLink(export.resolve("link"), f);
            assertThrows(NotRegularFileException.class, () -> engine.create(link, "s"));
            assertThrows(NotRegularFileException.class, () -> engine.revert(link, "dup"));
            Path fifo = export.resolve("fifo");
            Commands.check("mkfifo", fifo.toString());
            assertThrows(NotRegularFileException.class, () -> engine.create(fifo, "s"));
            assertThrows(NotRegularFileException.class, () -> engine.create(export, "s"));
            assertThrows(NoSuchLiveFileException.class, () -> engine.create(export.resolve("missing"), "s"));

            assertThrows(PathOutsideExportException.class, () -> engine.create(Path.of("/etc/hostname"), "s"));
            assertThrows(PathOutsideExportException.class,
                    () -> engine.create(export.resolve("../outside"), "s"));
            Path escape = Files.createSymbolicLink(export.resolve("escape"), Path.of("/etc"));
            assertThrows(PathOutsideExportException.class, () -> engine.create(escape.resolve("hostname"), "s"));
            Path inStore = engine.storeDirectory().resolve("FORMAT");
            assertThrows(PathOutsideExportException.class, () -> engine.create(inStore, "s"));
            assertTrue(engine.isStorePath(inStore));
            assertFalse(engine.isStorePath(f));
            assertEquals(export.toRealPath().resolve(SnapshotEngine.STORE_DIRECTORY_NAME), engine.storeDirectory());

            assertThrows(StoreInUseException.class, () -> SnapshotEngine.open(export));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void snapshotLimitIsEnforced(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        try (SnapshotEngine engine = SnapshotEngine.open(
                SnapshotEngineConfig.builder(export).maxSnapshotsPerFile(3).build())) {
            Path f = export.resolve("limited");
            write(f, "x");
            engine.create(f, "1");
            engine.create(f, "2");
            engine.create(f, "3");
            assertThrows(SnapshotLimitException.class, () -> engine.create(f, "4"));
            assertEquals(3, engine.list(f).size());
            engine.delete(f, "2");
            engine.create(f, "4");
            assertEquals(List.of("1", "3", "4"), names(engine.list(f)));
        }
    }

    // ------------------------------------------------------------------ durability of metadata

    @ParameterizedTest
    @EnumSource(Kind.class)
    void stateSurvivesReopenAndCompaction(Kind kind) throws IOException {
        Path export = filesystems.exportOn(kind);
        Path f = export.resolve("churn");
        List<SnapshotInfo> before;
        Optional<String> currentBefore;
        Random random = new Random(7);
        SnapshotEngineConfig config = SnapshotEngineConfig.builder(export).compactionSlack(0).build();
        try (SnapshotEngine engine = SnapshotEngine.open(config)) {
            for (int i = 0; i < 40; i++) {
                write(f, "content " + i);
                List<SnapshotInfo> now = engine.list(f);
                int op = now.size() < 3 ? 0 : random.nextInt(3);
                switch (op) {
                    case 0 -> engine.create(f, "s" + i);
                    case 1 -> engine.delete(f, now.get(random.nextInt(now.size())).name());
                    default -> engine.revert(f, now.get(random.nextInt(now.size())).name());
                }
            }
            before = engine.list(f);
            currentBefore = engine.current(f);
        }
        try (SnapshotEngine engine = SnapshotEngine.open(config)) {
            assertEquals(0, engine.recoveryRepairs());
            assertEquals(before, engine.list(f));
            assertEquals(currentBefore, engine.current(f));
            FileKey key = engine.keyOf(f).orElseThrow();
            long lines = Files.readAllLines(engine.storeDirectory().resolve("files").resolve(key.toString())
                    .resolve("history.log")).size();
            assertTrue(lines <= 2L * before.size() + 8, "log was compacted: " + lines + " lines");
        }
    }

    // ------------------------------------------------------------------ locking

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sharedWriteLockHoldsOffSnapshotsAndConcurrentCreatesSerialize(Kind kind) throws Exception {
        Path export = filesystems.exportOn(kind);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Path f = export.resolve("locked");
            write(f, "x");
            long dev = (long) Files.getAttribute(f, "unix:dev");
            FileLocks.Lease write = engine.locks().shared(new LockKey.Inode(dev, inode(f)));
            Future<SnapshotInfo> pending = pool.submit(() -> engine.create(f, "after-write"));
            assertThrows(TimeoutException.class, () -> pending.get(300, TimeUnit.MILLISECONDS));
            write.close();
            assertEquals("after-write", pending.get(30, TimeUnit.SECONDS).name());

            List<Future<List<String>>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(pool.submit(() -> {
                    List<String> made = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        made.add(engine.create(f, "").name());
                    }
                    return made;
                }));
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> w : workers) {
                all.addAll(w.get(60, TimeUnit.SECONDS));
            }
            assertEquals(30, all.size());
            assertEquals(31, engine.list(f).size());
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ helpers

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8); // truncates in place: same inode
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static long inode(Path file) throws IOException {
        return (long) Files.getAttribute(file, "unix:ino");
    }

    static List<String> names(List<SnapshotInfo> infos) {
        return infos.stream().map(SnapshotInfo::name).toList();
    }

    static List<Optional<String>> parents(List<SnapshotInfo> infos) {
        return infos.stream().map(SnapshotInfo::parent).toList();
    }

    static byte[] bytes(SnapshotEngine engine, FileKey key, String name) throws IOException {
        try (FileChannel ch = engine.openSnapshot(key, name)) {
            return readAll(ch);
        }
    }

    static String content(SnapshotEngine engine, FileKey key, String name) throws IOException {
        return new String(bytes(engine, key, name), StandardCharsets.UTF_8);
    }

    static byte[] readAll(FileChannel ch) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) ch.size());
        long position = 0;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        return buffer.array();
    }

    static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
