package org.fsnap.server.state;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grace period after a restart (RFC 8881 section 8.4.2): while it lasts only reclaims are
 * allowed. It is skipped when no client could reclaim, and ends early once every client that
 * held state before the restart has sent RECLAIM_COMPLETE.
 */
public final class GracePeriod {
    private static final Logger LOG = LoggerFactory.getLogger(GracePeriod.class);

    private final Set<ByteBuffer> pending = new HashSet<>();
    private final long endNanos;
    private boolean over;

    public GracePeriod(Set<byte[]> previousOwners, long durationNanos, long nowNanos) {
        for (byte[] o : previousOwners) {
            pending.add(ByteBuffer.wrap(o.clone()));
        }
        this.endNanos = nowNanos + durationNanos;
        this.over = pending.isEmpty();
        if (over) {
            LOG.info("no client can reclaim state: no grace period");
        } else {
            LOG.info("grace period of {} s for {} client(s) that held state before restart",
                    durationNanos / 1_000_000_000L, pending.size());
        }
    }

    public synchronized boolean inGrace(long nowNanos) {
        if (!over && nowNanos - endNanos >= 0) {
            over = true;
            LOG.info("grace period over (time limit); {} client(s) did not reclaim", pending.size());
        }
        return !over;
    }

    /** Whether this owner held state before the restart and has not finished reclaiming. */
    public synchronized boolean mayReclaim(byte[] owner, long nowNanos) {
        return inGrace(nowNanos) && pending.contains(ByteBuffer.wrap(owner));
    }

    public synchronized void reclaimComplete(byte[] owner) {
        if (pending.remove(ByteBuffer.wrap(owner)) && pending.isEmpty() && !over) {
            over = true;
            LOG.info("grace period over: every client reclaimed");
        }
    }
}
