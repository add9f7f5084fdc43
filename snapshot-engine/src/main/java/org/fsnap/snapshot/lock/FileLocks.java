package org.fsnap.snapshot.lock;

/**
 * Per-file readers/writer locks. The local implementation is {@link LocalFileLocks}; a cluster-wide one
 * (leased, fenced) can replace it without touching the engine.
 *
 * <p>Leases are not bound to threads, so an asynchronous NFS server may release on another thread.
 * Lock order, to stay deadlock-free: inode before history.
 */
public interface FileLocks {

    enum Mode { SHARED, EXCLUSIVE }

    /** Blocks until the lock is held in {@code mode}. */
    Lease acquire(LockKey key, Mode mode);

    default Lease exclusive(LockKey key) {
        return acquire(key, Mode.EXCLUSIVE);
    }

    default Lease shared(LockKey key) {
        return acquire(key, Mode.SHARED);
    }

    /** A held lock; closing it (once or more) releases it. */
    interface Lease extends AutoCloseable {
        @Override
        void close();

        /**
         * True when the previous holder of this lock never released it: its node died or lost the lock in
         * the middle of an operation, so whatever the lock protects must be re-read from the store before
         * it is trusted. Only cluster-wide implementations can observe this; local locks always say false.
         */
        default boolean predecessorFailed() {
            return false;
        }
    }
}
