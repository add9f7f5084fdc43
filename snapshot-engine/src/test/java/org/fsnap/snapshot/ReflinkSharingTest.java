package org.fsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.store.SnapshotStore;
import org.fsnap.snapshot.testing.Commands;
import org.fsnap.snapshot.testing.MountedFilesystems;
import org.fsnap.snapshot.testing.ScratchFilesystem;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On XFS with reflink a snapshot shares the live file's extents: no data is copied, no space used. */
class ReflinkSharingTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReflinkSharingTest.class);
    private static final int MIB = 1 << 20;
    private static final int FILE_MIB = 128;
    /** Allowance for metadata (btree blocks, log); copying would take FILE_MIB. */
    private static final long MARGIN = 4L * MIB;

    private static MountedFilesystems filesystems;

    @BeforeAll
    static void mount() {
        filesystems = MountedFilesystems.mount(1L << 30, Kind.XFS_REFLINK);
    }

    @AfterAll
    static void unmount() {
        if (filesystems != null) {
            filesystems.close();
        }
    }

    @Test
    void snapshotAndRevertShareExtentsAndCostNoSpace() throws IOException {
        ScratchFilesystem xfs = filesystems.get(Kind.XFS_REFLINK);
        Path export = xfs.newExport();
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(CloneStrategy.FICLONE, engine.strategy());
            Path live = export.resolve("big.img");
            byte[] firstMiB = writeRandom(live, FILE_MIB);
            Commands.check("sync", "-f", live.toString());
            long freeBefore = xfs.freeBytes();

            SnapshotInfo info = engine.create(live, "base");
            assertEquals(CloneStrategy.FICLONE, info.strategy());
            assertEquals((long) FILE_MIB * MIB, info.size());
            Commands.check("sync", "-f", live.toString());
            long used = freeBefore - xfs.freeBytes();
            LOG.info("df: snapshot of a {} MiB file used {} KiB", FILE_MIB, used / 1024);
            assertTrue(used < MARGIN, "snapshot used " + used + " bytes of space");

            FileKey key = engine.keyOf(live).orElseThrow();
            Path content = engine.storeDirectory().resolve("files").resolve(key.toString())
                    .resolve("1" + SnapshotStore.CONTENT_SUFFIX);
            String extents = Commands.check("filefrag", "-v", content.toString());
            LOG.info("filefrag -v of the snapshot:\n{}", extents.strip());
            assertTrue(extents.contains("shared"), "snapshot extents are shared:\n" + extents);
            assertTrue(Commands.check("filefrag", "-v", live.toString()).contains("shared"));

            // Copy-on-write: overwriting the live file leaves the snapshot untouched.
            try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[MIB]), 0);
                ch.force(true);
            }
            try (FileChannel snap = engine.openSnapshot(key, "base")) {
                ByteBuffer head = ByteBuffer.allocate(MIB);
                snap.read(head, 0);
                assertArrayEquals(firstMiB, head.array());
            }

            // Revert clones back onto the live inode: shared again, no new space.
            long inode = (long) Files.getAttribute(live, "unix:ino");
            Commands.check("sync", "-f", live.toString());
            long freeBeforeRevert = xfs.freeBytes();
            engine.revert(live, "base");
            Commands.check("sync", "-f", live.toString());
            assertTrue(freeBeforeRevert - xfs.freeBytes() < MARGIN);
            assertEquals(inode, (long) Files.getAttribute(live, "unix:ino"));
            try (FileChannel ch = FileChannel.open(live, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(MIB);
                ch.read(head, 0);
                assertArrayEquals(firstMiB, head.array());
            }
            assertTrue(Commands.check("filefrag", "-v", live.toString()).contains("shared"));
        }
    }

    private static byte[] writeRandom(Path file, int mebibytes) throws IOException {
        Random random = new Random(99);
        byte[] chunk = new byte[MIB];
        byte[] first = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < mebibytes; i++) {
                random.nextBytes(chunk);
                if (first == null) {
                    first = chunk.clone();
                }
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }
            ch.force(true);
        }
        return first;
    }
}
