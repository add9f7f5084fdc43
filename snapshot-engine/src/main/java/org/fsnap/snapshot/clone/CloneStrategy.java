package org.fsnap.snapshot.clone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.fsnap.snapshot.faults.CrashPoints;
import org.fsnap.snapshot.nativeio.NativeFile;

/**
 * How file content is captured into a snapshot and written back on revert, best first.
 *
 * <p>Every strategy writes the source's bytes over the target's [0, size) in place (the target's inode is
 * kept, which is what revert needs). The caller sizes the target first: FICLONE replaces the whole
 * content but refuses a target longer than the source, and the copies never shrink a file.
 */
public enum CloneStrategy {

    /** ioctl(FICLONE): the target shares the source's extents; O(1) time and no data space. */
    FICLONE(true) {
        @Override
        long transfer(NativeFile source, NativeFile target, long size) throws IOException {
            target.cloneFrom(source);
            return target.stat().size();
        }
    },

    /** copy_file_range(2): the kernel copies (or, on some filesystems, remaps) without user-space buffers. */
    COPY_FILE_RANGE(false) {
        @Override
        long transfer(NativeFile source, NativeFile target, long size) throws IOException {
            long offset = 0;
            while (offset < size) {
                long n = target.copyRangeFrom(source, offset, Math.min(CHUNK_BYTES, size - offset));
                if (n == 0) {
                    break; // the source became shorter than it was when we looked
                }
                offset += n;
                CrashPoints.reach("copy.chunk");
            }
            return offset;
        }
    },

    /** pread/pwrite through a native buffer: works everywhere, costs full time and space. */
    STREAM_COPY(false) {
        @Override
        long transfer(NativeFile source, NativeFile target, long size) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(Math.min(CHUNK_BYTES, 1L << 20), 4096);
                long offset = 0;
                while (offset < size) {
                    MemorySegment window = buffer.asSlice(0, Math.min(buffer.byteSize(), size - offset));
                    long n = source.read(window, offset);
                    if (n == 0) {
                        break;
                    }
                    target.writeFully(window, n, offset);
                    offset += n;
                    CrashPoints.reach("copy.chunk");
                }
                return offset;
            }
        }
    };

    /**
     * Bytes moved per copy call. Small values exist only so crash tests can die half-way through a copy.
     */
    static final long CHUNK_BYTES = Math.max(4096, Long.getLong("fsnap.copy.chunkBytes", 8L << 20));

    private final boolean sharesExtents;

    CloneStrategy(boolean sharesExtents) {
        this.sharesExtents = sharesExtents;
    }

    /**
     * Writes {@code source[0, size)} over {@code target[0, size)}.
     *
     * @return bytes transferred (less than {@code size} only if the source shrank meanwhile)
     */
    abstract long transfer(NativeFile source, NativeFile target, long size) throws IOException;

    /** True when snapshots taken this way cost no data space until either side changes. */
    public boolean sharesExtents() {
        return sharesExtents;
    }

    /** The next strategy to try when this one is not available, or null after the last. */
    public CloneStrategy fallback() {
        return switch (this) {
            case FICLONE -> COPY_FILE_RANGE;
            case COPY_FILE_RANGE -> STREAM_COPY;
            case STREAM_COPY -> null;
        };
    }
}
