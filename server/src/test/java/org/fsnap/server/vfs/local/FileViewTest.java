package org.fsnap.server.vfs.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.VfsError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** READ's bytes lent as the file's mapped pages ({@link LocalFileSystem#readView}). */
class FileViewTest extends LocalFsTestSupport {
    private static final int SIZE = 3 * (1 << 20) + 1000;

    private Inode bigFile(int mode) throws Exception {
        Inode f = file(ALICE, root(), "big", mode);
        fs.write(ALICE, f, ByteBuffer.wrap(pattern(0, SIZE)), 0, Stability.UNSTABLE);
        return f;
    }

    private static byte[] pattern(long from, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = from + i;
            b[i] = (byte) (at * 7 + (at >> 12));
        }
        return b;
    }

    private static byte[] bytesOf(FileView v) {
        ByteBuffer b = v.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void lendsTheFileBytesFromAnyOffset() throws Exception {
        Inode f = bigFile(0644);
        for (long offset : new long[] {0, 1 << 20, 4095, 123457}) {
            try (FileView v = fs.readView(BOB, f, offset, 1 << 20)) {
                assertEquals(1 << 20, v.bytes().remaining());
                assertEquals(ByteBuffer.wrap(pattern(offset, 1 << 20)), v.bytes(), "at " + offset);
                assertFalse(v.eof(), "at " + offset);
                assertTrue(v.bytes().isReadOnly(), "nobody may write into the file's pages");
            }
        }
    }

    @Test
    void theLastBytesCarryEndOfFile() throws Exception {
        Inode f = bigFile(0644);
        long offset = SIZE - 100_000;
        try (FileView v = fs.readView(ALICE, f, offset, 1 << 20)) {
            assertEquals(100_000, v.bytes().remaining(), "only what the file holds");
            assertTrue(v.eof());
            assertEquals(ByteBuffer.wrap(pattern(offset, 100_000)), v.bytes());
        }
        try (FileView v = fs.readView(ALICE, f, SIZE - (1 << 20), 1 << 20)) {
            assertTrue(v.eof(), "a read that ends exactly at the end");
        }
    }

    @Test
    void shortReadsAndTheEndAreLeftToRead() throws Exception {
        Inode f = bigFile(0644);
        assertNull(fs.readView(ALICE, f, 0, FileView.MIN_LENGTH - 1), "a short read is copied");
        assertNull(fs.readView(ALICE, f, SIZE - 10, 1 << 20), "a few bytes before the end");
        assertNull(fs.readView(ALICE, f, SIZE, 1 << 20), "at the end");
        assertNull(fs.readView(ALICE, f, SIZE + (1L << 40), 1 << 20), "far beyond it");
    }

    @Test
    void checksAsReadDoes() throws Exception {
        Inode f = bigFile(0600);
        assertVfs(VfsError.ACCESS, () -> fs.readView(BOB, f, 0, 1 << 20));
        assertVfs(VfsError.ISDIR, () -> fs.readView(ALICE, root(), 0, 1 << 20));
        assertVfs(VfsError.INVAL, () -> fs.readView(ALICE, f, -1, 1 << 20));
        try (FileView v = fs.readView(ALICE, f, 0, 1 << 20)) {
            assertEquals(1 << 20, v.bytes().remaining(), "the owner reads a 0600 file");
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        Inode f = bigFile(0644);
        FileView v = fs.readView(ALICE, f, 0, 1 << 20);
        v.close();
        v.close();
    }

    /**
     * The bytes are only ever read by the kernel, when the reply is written. A file truncated
     * under a view makes that write fail with an error (the connection is closed), not the JVM.
     */
    @Test
    void aFileTruncatedUnderAViewFailsTheWriteNotTheServer() throws Exception {
        Inode f = bigFile(0644);
        Path out = export.resolve("out");
        try (FileView v = fs.readView(ALICE, f, 1 << 20, 1 << 20)) {
            try (RandomAccessFile raf = new RandomAccessFile(export.resolve("big").toFile(), "rw")) {
                raf.setLength(0);
            }
            try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                IOException e = assertThrows(IOException.class, () -> ch.write(v.bytes()));
                assertTrue(e.getMessage().contains("Bad address"), e.getMessage());
            }
        }
        assertEquals(0, Files.size(out));
    }

    @Test
    void immutableFilesAreMappedByPathWithinTheirSize() throws Exception {
        Path content = export.resolve("content");
        Files.write(content, pattern(0, SIZE));
        try (FileView v = MappedRegion.ofImmutableFile(content, 4097, 1 << 20, false)) {
            assertEquals(ByteBuffer.wrap(pattern(4097, 1 << 20)), v.bytes());
            assertTrue(v.bytes().isReadOnly());
            Files.delete(content);
            assertEquals(ByteBuffer.wrap(pattern(4097, 1 << 20)), v.bytes(), "an unlinked file stays mapped");
        }
        assertNull(MappedRegion.ofImmutableFile(content, 0, 1 << 20, false), "gone: left to the copying read");
        Files.write(content, pattern(0, 1000));
        assertNull(MappedRegion.ofImmutableFile(content, 0, 1 << 20, true), "never past the file's end");
    }
}
