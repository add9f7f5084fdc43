package org.fsnap.snapshot.cluster;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.map.IMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide {@link FileLocks} over Hazelcast (open source: no CP subsystem, so no FencedLock).
 *
 * <p><b>Exclusive</b>: Hazelcast's per-key lock of map {@code fsnap.locks} ({@code tryLock} with a lease,
 * so a holder that hangs cannot block a file forever; a holder whose node dies loses it as soon as the
 * node leaves the cluster). Then the holder writes a record into {@code fsnap.lock-state} (entry processor)
 * with a fresh random lease id: the fencing token. Before a change is committed, {@link #checkStillHeld}
 * compares it with the record: a holder whose lease ran out, or whose node was cut off and declared dead,
 * finds another token there and is refused. A record still present when the next holder arrives means its
 * predecessor never released: {@link Lease#predecessorFailed()} tells the engine to re-read that file's
 * history from the store before trusting the catalogue.
 *
 * <p><b>Shared</b> (the NFS WRITE path on an inode): a per-member count in the same record, added by an
 * entry processor only while no exclusive holder is recorded; an exclusive holder, after recording
 * itself, waits until no live member has shared holders. Counts of members that left are ignored and
 * purged. On a node without a majority, shared leases are granted locally without the cluster (writes go
 * on; no snapshot operation can run anywhere the minority could race with: the majority side cannot see
 * this node's writes in flight, which is the one thing this gives up during a split).
 *
 * <p><b>After a split-brain merge</b> both maps are those of the surviving side (discard merge policy).
 * A holder on the discarded side has lost its record, so {@link #checkStillHeld} refuses its commit and
 * its release leaves the lock alone. The record alone does not fence everything, though: the surviving
 * side may be the stale one, and its records can be older than the discarded ones, e.g. the record of a
 * holder that was paused, declared dead, and whose lock the majority took over (and released) meanwhile
 * names that holder again, so its {@code checkStillHeld} would pass. What stops such a commit is the
 * catalogue: a node that went through a minority or a merge refuses every change until the catalogue was
 * re-read from the store ({@link CatalogResync}; {@code checkStillHeld} calls
 * {@link ClusterMember#requireQuorum}), and after that the version check of
 * {@link HazelcastSnapshotCatalog#beforeCommit} refuses a change computed from a history the store has
 * moved past. Likewise a record lost in the merge (a holder that committed to the store but could not
 * publish) no longer tells the next holder to re-read the history, but the re-read after the merge
 * publishes every history the store has newer. A surviving record whose holder is gone only makes the next
 * holder re-read the history from the store: harmless.
 *
 * <p>Hazelcast's lock is owned by (member, thread) while our leases are not bound to threads, so release
 * uses {@code forceUnlock}, but only after the record proved that the lease is still ours.
 *
 * <p>Lock keys: an inode by its number only (device numbers differ between nodes mounting the same
 * shared filesystem; over-locking is harmless), a history by its id.
 */
public final class HazelcastFileLocks implements FileLocks {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastFileLocks.class);
    private static final long SLICE_MS = 500;

    private final ClusterMember cluster;
    private final IMap<String, Object> keyLocks;
    private final IMap<String, LockState> states;
    private final ConcurrentMap<String, WriteLease> held = new ConcurrentHashMap<>();
    private final AtomicBoolean localShared = new AtomicBoolean();

    HazelcastFileLocks(ClusterMember cluster) {
        this.cluster = cluster;
        this.keyLocks = cluster.map(ClusterMember.LOCK_MAP);
        this.states = cluster.map(ClusterMember.LOCK_STATE_MAP);
    }

    static String name(LockKey key) {
        return switch (key) {
            case LockKey.Inode i -> "i:" + i.inode();
            case LockKey.History h -> "h:" + h.key();
        };
    }

    @Override
    public Lease acquire(LockKey key, Mode mode) {
        String k = name(key);
        try {
            return mode == Mode.EXCLUSIVE ? exclusive(k) : shared(k);
        } catch (ClusterUnavailableException e) {
            throw e.unchecked();
        }
    }

    // ---------------------------------------------------------------- exclusive

    private Lease exclusive(String k) throws ClusterUnavailableException {
        long leaseMs = cluster.options().lockLease().toMillis();
        long deadline = System.nanoTime() + cluster.options().lockWait().toNanos();
        boolean locked = false;
        UUID lease = UUID.randomUUID();
        boolean recorded = false;
        try {
            while (!locked) {
                cluster.requireQuorum("lock " + k);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new ClusterUnavailableException("lock " + k + ": still held elsewhere after "
                            + cluster.options().lockWait().toSeconds() + " s");
                }
                locked = keyLocks.tryLock(k, Math.min(SLICE_MS, left), TimeUnit.MILLISECONDS, leaseMs,
                        TimeUnit.MILLISECONDS);
            }
            UUID member = cluster.localMember();
            boolean predecessorFailed = states.executeOnKey(k, new Processors.TakeWrite(member, lease));
            recorded = true;
            if (predecessorFailed) {
                LOG.warn("lock {}: the previous holder never released it (node died or lost the lock): "
                        + "its state is re-read from the store", k);
            }
            awaitNoReaders(k, deadline);
            WriteLease l = new WriteLease(k, lease, predecessorFailed, Thread.currentThread());
            held.put(k, l);
            return l;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undo(k, locked, recorded, lease);
            throw new ClusterUnavailableException("lock " + k + ": interrupted");
        } catch (HazelcastException | IllegalStateException e) {
            undo(k, locked, recorded, lease);
            throw cluster.unavailable("lock " + k, e);
        } catch (ClusterUnavailableException | RuntimeException e) {
            undo(k, locked, recorded, lease);
            throw e;
        }
    }

    private void awaitNoReaders(String k, long deadline) throws InterruptedException, ClusterUnavailableException {
        long pause = 1;
        while (true) {
            LockState s = states.get(k);
            Set<UUID> live = cluster.liveMembers();
            if (s == null || !s.hasReadersAmong(live)) {
                if (s != null && s.hasReadersOutside(live)) {
                    states.executeOnKey(k, new Processors.ForgetDead(live, null));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterUnavailableException("lock " + k + ": writes in progress did not finish within "
                        + cluster.options().lockWait().toSeconds() + " s");
            }
            Thread.sleep(pause);
            pause = Math.min(20, pause * 2);
        }
    }

    private void undo(String k, boolean locked, boolean recorded, UUID lease) {
        try {
            boolean ours = !recorded || states.executeOnKey(k, new Processors.ReleaseWrite(lease));
            if (locked && ours) {
                keyLocks.forceUnlock(k);
            }
        } catch (HazelcastException | IllegalStateException e) {
            LOG.warn("lock {}: could not undo a failed acquisition ({}); its lease frees it", k, e.toString());
        }
    }

    /**
     * The fencing check before a commit: refuses unless the calling thread holds {@code key} exclusively
     * and the cluster's record still names its lease.
     */
    public void checkStillHeld(LockKey key) throws ClusterUnavailableException {
        String k = name(key);
        cluster.requireQuorum("commit under " + k);
        WriteLease l = held.get(k);
        if (l == null || l.thread != Thread.currentThread()) {
            throw new ClusterUnavailableException("commit under " + k + ": this thread does not hold the lock");
        }
        LockState s;
        try {
            s = states.get(k);
        } catch (HazelcastException | IllegalStateException e) {
            throw cluster.unavailable("commit under " + k, e);
        }
        if (s == null || !l.lease.equals(s.writerLease())) {
            throw new ClusterUnavailableException("commit under " + k + ": the lock was lost (lease expired or "
                    + "this node was cut off) and " + (s == null || !s.hasWriter() ? "released" : "taken over")
                    + "; nothing was changed");
        }
    }

    /**
     * The calling thread committed a change to the store under {@code key} but could not publish it to the
     * catalogue (a cluster call failed): on release the lease's record is left in place, so the next holder
     * of the lock (on any node) sees a failed predecessor and re-reads the history from the store.
     */
    void markUnpublished(LockKey key) {
        WriteLease l = held.get(name(key));
        if (l != null && l.thread == Thread.currentThread()) {
            l.unpublished = true;
        }
    }

    private final class WriteLease implements Lease {
        final String key;
        final UUID lease;
        final boolean predecessorFailed;
        final Thread thread;
        volatile boolean unpublished;
        private final AtomicBoolean open = new AtomicBoolean(true);

        WriteLease(String key, UUID lease, boolean predecessorFailed, Thread thread) {
            this.key = key;
            this.lease = lease;
            this.predecessorFailed = predecessorFailed;
            this.thread = thread;
        }

        @Override
        public boolean predecessorFailed() {
            return predecessorFailed;
        }

        @Override
        public void close() {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            held.remove(key, this);
            try {
                if (unpublished) {
                    LOG.warn("lock {}: released with its record left in place: a change reached the store but "
                            + "not the catalogue; the next holder re-reads it from the store", key);
                    keyLocks.forceUnlock(key);
                } else if (states.executeOnKey(key, new Processors.ReleaseWrite(lease))) {
                    keyLocks.forceUnlock(key);
                } else {
                    LOG.warn("lock {}: lost before release (lease expired or node cut off); left to its new holder",
                            key);
                }
            } catch (HazelcastException | IllegalStateException e) {
                LOG.warn("lock {}: could not release ({}); it is freed when its lease ends or this node leaves",
                        key, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- shared

    private Lease shared(String k) throws ClusterUnavailableException {
        if (!cluster.hasQuorum()) {
            if (localShared.compareAndSet(false, true)) {
                LOG.warn("no cluster majority: granting shared file locks locally (writes continue; snapshot "
                        + "changes are refused)");
            }
            return () -> { };
        }
        localShared.set(false);
        long deadline = System.nanoTime() + cluster.options().lockWait().toNanos();
        long pause = 1;
        try {
            while (true) {
                UUID member = cluster.localMember();
                LockState blocking = states.executeOnKey(k, new Processors.AddReader(member));
                if (blocking == null) {
                    return new ReadLease(k, member);
                }
                Set<UUID> live = cluster.liveMembers();
                if (!live.contains(blocking.writerMember()) || !keyLocks.isLocked(k)) {
                    // A writer record whose holder is gone (dead node, or released the key lock without
                    // clearing the record): forget exactly that record.
                    states.executeOnKey(k, new Processors.ForgetDead(live, blocking.writerLease()));
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterUnavailableException("shared lock " + k + ": a snapshot operation held it for "
                            + "more than " + cluster.options().lockWait().toSeconds() + " s");
                }
                Thread.sleep(pause);
                pause = Math.min(20, pause * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("shared lock " + k + ": interrupted");
        } catch (HazelcastException | IllegalStateException e) {
            throw cluster.unavailable("shared lock " + k, e);
        }
    }

    private final class ReadLease implements Lease {
        final String key;
        final UUID member;
        private final AtomicBoolean open = new AtomicBoolean(true);

        ReadLease(String key, UUID member) {
            this.key = key;
            this.member = member;
        }

        @Override
        public void close() {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            try {
                states.executeOnKey(key, new Processors.RemoveReader(member));
            } catch (HazelcastException | IllegalStateException e) {
                LOG.warn("shared lock {}: could not release ({}); dropped when this node leaves", key, e.toString());
            }
        }
    }

    /** Locks this node holds exclusively right now (tests, diagnostics). */
    int heldCount() {
        return held.size();
    }
}
