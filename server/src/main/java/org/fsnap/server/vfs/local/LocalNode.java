package org.fsnap.server.vfs.local;

/**
 * An object being worked on: its descriptor, borrowed from the cache for the length of one
 * call, and its attributes as of the start of that call.
 */
final class LocalNode implements AutoCloseable {
    final HandleKey key;
    final int fd;
    final Statx st;
    private final LeaseCache<HandleKey, Integer>.Lease lease;

    LocalNode(HandleKey key, LeaseCache<HandleKey, Integer>.Lease lease, Statx st) {
        this.key = key;
        this.lease = lease;
        this.fd = lease.value();
        this.st = st;
    }

    @Override
    public void close() {
        lease.close();
    }
}
