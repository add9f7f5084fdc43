package org.fsnap.server.vfs.local;

import java.util.concurrent.TimeUnit;

/**
 * Read-write descriptors of regular files, kept open between READ/WRITE calls (opened lazily,
 * at most {@code capacity}, closed when idle). Reopened through /proc/self/fd from the
 * object's O_PATH descriptor, so a rename in between cannot redirect the open.
 */
final class OpenFileCache {
    /**
     * An open descriptor; {@code writeErrno} is why it is read-only (0 when writable), e.g.
     * EROFS or ETXTBSY, reported on the first write.
     */
    record IoFd(int fd, int writeErrno) {
        boolean writable() {
            return writeErrno == 0;
        }
    }

    private final LeaseCache<HandleKey, IoFd> cache;

    OpenFileCache(int capacity) {
        this.cache = new LeaseCache<>(capacity, f -> Libc.close(f.fd()));
    }

    LeaseCache<HandleKey, IoFd>.Lease acquire(HandleKey key, int pathFd) throws ErrnoException {
        LeaseCache<HandleKey, IoFd>.Lease lease = cache.acquire(key);
        if (lease != null) {
            return lease;
        }
        String path = Libc.procPath(pathFd);
        IoFd io;
        try {
            io = new IoFd(Libc.openat(Libc.AT_FDCWD, path, Libc.O_RDWR, 0), 0);
        } catch (ErrnoException e) {
            if (!(e.is(Errno.EROFS) || e.is(Errno.EACCES) || e.is(Errno.EPERM)
                    || e.is(Errno.ETXTBSY))) {
                throw e;
            }
            io = new IoFd(Libc.openat(Libc.AT_FDCWD, path, Libc.O_RDONLY, 0), e.errno());
        }
        return cache.putIfAbsent(key, io);
    }

    /** Takes over a read-write descriptor just created for the object (OPEN with create). */
    void adopt(HandleKey key, int rwFd) {
        cache.putIfAbsent(key, new IoFd(rwFd, 0)).close();
    }

    void invalidate(HandleKey key) {
        cache.invalidate(key);
    }

    int evictIdle(long idle, TimeUnit unit) {
        return cache.evictIdle(unit.toNanos(idle));
    }

    void clear() {
        cache.clear();
    }

    int size() {
        return cache.size();
    }
}
