package org.fsnap.server.vfs.local;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fsnap.server.vfs.FileView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of a file mapped read-only and shared: its pages in the page cache, which a READ reply
 * hands to the socket as they are. Reading them into a buffer first costs a copy of every byte
 * (a third of the server's CPU on a sequential read) and holds the reply back until the copy is
 * done.
 *
 * <p>Only the kernel reads these bytes, when it writes the reply (and Java, when a reply is kept
 * for a retransmission). Should the file be truncated below the region before then, that write
 * fails (EFAULT) and the connection closes: the client reconnects and sends the READ again.
 */
public final class MappedRegion implements FileView {
    private static final Logger LOG = LoggerFactory.getLogger(MappedRegion.class);

    private final MemorySegment mapping;
    private final ByteBuffer bytes;
    private final boolean eof;
    private final AtomicBoolean unmapped = new AtomicBoolean();

    private MappedRegion(MemorySegment mapping, ByteBuffer bytes, boolean eof) {
        this.mapping = mapping;
        this.bytes = bytes;
        this.eof = eof;
    }

    /** {@code length} bytes of fd (open for reading) from {@code offset}. */
    static MappedRegion map(int fd, long offset, int length, boolean eof) throws ErrnoException {
        long lead = offset % Libc.PAGE_SIZE; // mappings start on a page
        MemorySegment m = Libc.mmapShared(fd, offset - lead, lead + length);
        return new MappedRegion(m, m.asSlice(lead, length).asByteBuffer().asReadOnlyBuffer(), eof);
    }

    /**
     * {@code length} bytes from {@code offset} of a file that is never written again once made
     * (a snapshot's content), opened only to map it; null when it is shorter than that or
     * cannot be mapped (the caller then copies). The mapping outlives the descriptor.
     */
    public static FileView ofImmutableFile(Path file, long offset, int length, boolean eof) {
        int fd;
        try {
            fd = Libc.openat(Libc.AT_FDCWD, file.toString(), Libc.O_RDONLY | Libc.O_NOFOLLOW, 0);
        } catch (ErrnoException e) {
            return null; // deleted meanwhile, say: the copying read gives the right error
        }
        try {
            if (Libc.fstatx(fd).size() < offset + length) {
                return null; // never map past the end: the pages there are not the file's
            }
            return map(fd, offset, length, eof);
        } catch (ErrnoException e) {
            LOG.debug("no mapping of {} bytes of {}: {}", length, file, e.getMessage());
            return null;
        } finally {
            Libc.close(fd);
        }
    }

    @Override
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }

    @Override
    public boolean eof() {
        return eof;
    }

    @Override
    public void close() {
        if (!unmapped.compareAndSet(false, true)) {
            return;
        }
        try {
            Libc.munmap(mapping);
        } catch (ErrnoException e) {
            LOG.warn("could not unmap {} bytes of a file: {}", mapping.byteSize(), e.getMessage());
        }
    }
}
