package org.fsnap.snapshot.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;

/**
 * In-process {@link FileLocks}. StampedLock because, unlike ReentrantReadWriteLock, it is not owned by a
 * thread (see {@link FileLocks}); entries are dropped when nobody holds or waits for them, so the map
 * stays as small as the set of files in use.
 */
public final class LocalFileLocks implements FileLocks {

    private final ConcurrentMap<LockKey, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        final StampedLock lock = new StampedLock();
        int users; // guarded by the map's compute on this key
    }

    @Override
    public Lease acquire(LockKey key, Mode mode) {
        Entry entry = entries.compute(key, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        long stamp;
        try {
            stamp = mode == Mode.EXCLUSIVE ? entry.lock.writeLock() : entry.lock.readLock();
        } catch (RuntimeException | Error e) {
            release(key);
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                entry.lock.unlock(stamp);
                release(key);
            }
        };
    }

    private void release(LockKey key) {
        entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
    }

    /** Number of keys currently held or awaited (for tests). */
    int activeKeys() {
        return entries.size();
    }
}
