package org.fsnap.server.vfs.local;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of native bounce buffers for reads and writes of heap ByteBuffers: the kernel
 * needs native memory, and allocating (and zeroing) a fresh megabyte per call would cost more
 * than the copy itself.
 */
final class NativeBuffers {
    static final int CHUNK = 1 << 20;
    private static final int MAX_POOLED = 8;

    private final ConcurrentLinkedQueue<MemorySegment> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    MemorySegment take() {
        MemorySegment s = pool.poll();
        if (s != null) {
            pooled.decrementAndGet();
            return s;
        }
        // GC-managed: a buffer the pool does not keep is freed with its last reference
        return Arena.ofAuto().allocate(CHUNK, 4096);
    }

    void give(MemorySegment s) {
        if (pooled.incrementAndGet() <= MAX_POOLED) {
            pool.offer(s);
        } else {
            pooled.decrementAndGet();
        }
    }
}
