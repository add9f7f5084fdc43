package org.fsnap.server.vfs.local;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Positional reads and writes of ByteBuffers on raw descriptors. Direct buffers go to the
 * kernel as they are; heap buffers through a pooled native bounce buffer. (Not FileChannel:
 * an interrupted thread would close a channel shared by every client of the file.)
 */
final class FileData {
    private final NativeBuffers buffers = new NativeBuffers();

    /** Reads until {@code dst} is full or the file ends; returns the bytes read. */
    long read(int fd, ByteBuffer dst, long offset) throws ErrnoException {
        long total = 0;
        if (dst.isDirect()) {
            while (dst.hasRemaining()) {
                long n = Libc.pread(fd, MemorySegment.ofBuffer(dst), offset + total);
                if (n == 0) {
                    break;
                }
                dst.position(dst.position() + (int) n);
                total += n;
            }
            return total;
        }
        MemorySegment bounce = buffers.take();
        try {
            while (dst.hasRemaining()) {
                int want = Math.min(dst.remaining(), NativeBuffers.CHUNK);
                long n = Libc.pread(fd, bounce.asSlice(0, want), offset + total);
                if (n == 0) {
                    break;
                }
                MemorySegment.copy(bounce, 0, MemorySegment.ofBuffer(dst), 0, n);
                dst.position(dst.position() + (int) n);
                total += n;
            }
            return total;
        } finally {
            buffers.give(bounce);
        }
    }

    /** Writes all of {@code src}. */
    void write(int fd, ByteBuffer src, long offset) throws ErrnoException {
        long done = 0;
        if (src.isDirect() && !src.isReadOnly()) {
            while (src.hasRemaining()) {
                long n = Libc.pwrite(fd, MemorySegment.ofBuffer(src), offset + done);
                src.position(src.position() + (int) n);
                done += n;
            }
            return;
        }
        MemorySegment bounce = buffers.take();
        try {
            while (src.hasRemaining()) {
                int len = Math.min(src.remaining(), NativeBuffers.CHUNK);
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, bounce, 0, len);
                long off = 0;
                while (off < len) {
                    off += Libc.pwrite(fd, bounce.asSlice(off, len - off), offset + done + off);
                }
                src.position(src.position() + len);
                done += len;
            }
        } finally {
            buffers.give(bounce);
        }
    }
}
