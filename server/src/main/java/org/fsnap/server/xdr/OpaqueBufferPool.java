package org.fsnap.server.xdr;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable direct buffers for bulk data: WRITE's payload and READ's reply data.
 *
 * <p>A megabyte in a fresh {@code byte[]} costs a zeroed megabyte on the heap for every call,
 * which G1 must place as a humongous object, and a second copy between heap and native memory
 * on its way to or from the kernel. A direct buffer from this pool is filled once (from the
 * request, or by the file read) and handed on as it is: a WRITE's buffer comes back when the
 * COMPOUND is done, a READ's once its reply has been sent ({@link Lease#close()}).
 *
 * <p>At most {@code maxLeased} buffers are out at once; past that (or for data larger than a
 * pool buffer) a lease is an ordinary heap buffer, so memory stays bounded whatever clients send.
 */
public final class OpaqueBufferPool {
    /** The size of a pool buffer: the largest WRITE Linux sends and READ fsnap returns (1 MiB). */
    public static final int BUFFER_SIZE = 1 << 20;
    /** The pool every decoder uses: 64 MiB of native memory at most, 16 MiB kept when idle. */
    public static final OpaqueBufferPool SHARED = new OpaqueBufferPool(64, 16);

    private final int maxLeased;
    private final int maxIdle;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger leased = new AtomicInteger();

    OpaqueBufferPool(int maxLeased, int maxIdle) {
        this.maxLeased = maxLeased;
        this.maxIdle = maxIdle;
    }

    /** A buffer with position 0 and limit {@code length}. */
    public Lease take(int length) {
        if (length > BUFFER_SIZE || leased.incrementAndGet() > maxLeased) {
            if (length <= BUFFER_SIZE) {
                leased.decrementAndGet();
            }
            return new Lease(this, ByteBuffer.allocate(length), false);
        }
        ByteBuffer b = idle.poll();
        if (b != null) {
            idleCount.decrementAndGet();
        } else {
            b = ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        b.clear().limit(length);
        return new Lease(this, b, true);
    }

    private void giveBack(ByteBuffer b) {
        leased.decrementAndGet();
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(b);
        } else {
            idleCount.decrementAndGet(); // dropped: the GC frees its native memory
        }
    }

    /** Pool buffers lent out now. */
    public int leased() {
        return leased.get();
    }

    /**
     * A buffer taken from the pool. Its holder must not use the buffer after {@link #close()},
     * nor keep it: the next request gets the same memory.
     */
    public static final class Lease implements AutoCloseable {
        private final OpaqueBufferPool pool;
        private final ByteBuffer buffer;
        private final boolean pooled;
        private final AtomicInteger closed = new AtomicInteger();

        private Lease(OpaqueBufferPool pool, ByteBuffer buffer, boolean pooled) {
            this.pool = pool;
            this.buffer = buffer;
            this.pooled = pooled;
        }

        /** A view of the data: its own position and limit, the same bytes. */
        public ByteBuffer data() {
            return buffer.duplicate();
        }

        /** The buffer itself, to fill. */
        ByteBuffer buffer() {
            return buffer;
        }

        public int length() {
            return buffer.limit();
        }

        /** Returns the buffer to the pool; later calls do nothing. */
        @Override
        public void close() {
            if (closed.getAndIncrement() == 0 && pooled) {
                pool.giveBack(buffer);
            }
        }
    }
}
