package org.fsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.testing.MountedFilesystems;
import org.fsnap.snapshot.testing.ScratchFilesystem;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Running out of space fails the operation with NoSpaceException and leaves nothing behind. */
class NoSpaceTest {

    private static final int KIB = 1024;
    /** Slack for filesystem metadata when comparing free space before and after. */
    private static final long MARGIN = 256L * KIB;

    private static MountedFilesystems filesystems;

    @BeforeAll
    static void mount() {
        filesystems = MountedFilesystems.mount(24L << 20, Kind.TMPFS, Kind.EXT4, Kind.EXT4_NO_EXTENTS);
    }

    @AfterAll
    static void unmount() {
        if (filesystems != null) {
            filesystems.close();
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Kind.TMPFS, CloneStrategy.COPY_FILE_RANGE),
                Arguments.of(Kind.TMPFS, CloneStrategy.STREAM_COPY),
                Arguments.of(Kind.EXT4, CloneStrategy.COPY_FILE_RANGE),
                Arguments.of(Kind.EXT4, CloneStrategy.STREAM_COPY),
                // No fallocate here: the copy itself runs into ENOSPC half way.
                Arguments.of(Kind.EXT4_NO_EXTENTS, CloneStrategy.COPY_FILE_RANGE),
                Arguments.of(Kind.EXT4_NO_EXTENTS, CloneStrategy.STREAM_COPY));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void createOutOfSpaceLeavesNothingBehind(Kind kind, CloneStrategy strategy) throws IOException {
        ScratchFilesystem fs = filesystems.get(kind);
        Path export = fs.newExport();
        try (SnapshotEngine engine = SnapshotEngine.open(
                SnapshotEngineConfig.builder(export).forcedStrategy(strategy).build())) {
            Path live = export.resolve("data.bin");
            byte[] small = SnapshotEngineTest.pattern(256 * KIB, 1);
            Files.write(live, small);
            engine.create(live, "small");

            // Grow the live file to 70 % of what is free: a second full copy cannot fit.
            long free = fs.freeBytes() + small.length;
            byte[] big = SnapshotEngineTest.pattern((int) (free * 0.7), 2);
            Files.write(live, big);
            long freeBefore = fs.freeBytes();
            assertThrows(NoSpaceException.class, () -> engine.create(live, "too-big"));
            assertThrows(NoSpaceException.class, () -> engine.create(live, ""));

            assertEquals(List.of("small"), SnapshotEngineTest.names(engine.list(live)));
            assertEquals(Optional.of("small"), engine.current(live));
            FileKey key = engine.keyOf(live).orElseThrow();
            assertEquals(List.of("1.snap", "history.log"), storeFiles(engine, key));
            assertTrue(Math.abs(fs.freeBytes() - freeBefore) < MARGIN, "free space is back");
            assertArrayEquals(big, Files.readAllBytes(live));

            // The very first snapshot of a file: no history directory may be left either.
            Path other = export.resolve("other.bin");
            Files.write(live, small);
            Files.write(other, SnapshotEngineTest.pattern((int) (fs.freeBytes() * 0.7), 3));
            assertThrows(NoSpaceException.class, () -> engine.create(other, "first"));
            assertEquals(List.of(), engine.list(other));
            try (Stream<Path> histories = Files.list(engine.storeDirectory().resolve("files"))) {
                assertEquals(1, histories.count(), "only data.bin's history exists");
            }
        }
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(0, engine.recoveryRepairs(), "nothing for recovery to clean up");
        }
        ScratchFilesystem.deleteTree(export);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void revertOutOfSpaceLeavesLiveFileUnchanged(Kind kind, CloneStrategy strategy) throws IOException {
        ScratchFilesystem fs = filesystems.get(kind);
        Path export = fs.newExport();
        try (SnapshotEngine engine = SnapshotEngine.open(
                SnapshotEngineConfig.builder(export).forcedStrategy(strategy).build())) {
            Path live = export.resolve("data.bin");
            byte[] big = SnapshotEngineTest.pattern((int) (fs.freeBytes() * 0.3), 4);
            Files.write(live, big);
            engine.create(live, "big");
            byte[] tiny = "tiny".getBytes();
            Files.write(live, tiny);
            engine.create(live, "tiny");

            // Leave less free space than the big snapshot needs to be written back.
            Path filler = export.resolve("filler");
            fill(filler, fs.freeBytes() - big.length / 2);
            assertThrows(NoSpaceException.class, () -> engine.revert(live, "big"));
            assertArrayEquals(tiny, Files.readAllBytes(live));
            assertEquals(Optional.of("tiny"), engine.current(live));

            Files.delete(filler);
            engine.revert(live, "big");
            assertArrayEquals(big, Files.readAllBytes(live));
        }
        ScratchFilesystem.deleteTree(export);
    }

    private static void fill(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * KIB);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written < bytes) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - written));
                written += ch.write(chunk);
            }
            ch.force(true);
        }
    }

    private static List<String> storeFiles(SnapshotEngine engine, FileKey key) throws IOException {
        try (Stream<Path> files = Files.list(engine.storeDirectory().resolve("files").resolve(key.toString()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
