package org.fsnap.snapshot.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate that keeps a node from changing snapshots from a catalogue that may be stale, and the thread
 * that re-reads the catalogue from the store to open it again.
 *
 * <p>Why: the maps use the discard merge policy, which is only right when the merging side is the stale
 * one. When two minorities merge (e.g. a majority split into halves after another node paused), Hazelcast
 * picks the direction by size and address, so the surviving map may be a copy that missed changes the
 * earlier majority committed to the store. The store is the truth; the map must be brought up to it
 * before anyone computes a change from it.
 *
 * <p>The gate closes ({@link #markStale}) as soon as this node sees no majority, when a split-brain merge
 * starts, or when partitions of the maps are lost; {@link #resyncSoon} (majority regained, merge over)
 * starts a re-synchronisation on this class's own thread: every registered {@link SnapshotCatalog.Resync}
 * runs (the engine: every history in the store published if newer, see {@code SnapshotEngine}). It opens
 * the gate only if nothing closed it again meanwhile. A failure keeps it closed: with a majority it is
 * retried after a pause, without one the next regain starts it again. Calls made by that thread itself
 * pass the gate (it takes history locks for the histories it must re-read under their lock).
 */
final class CatalogResync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogResync.class);
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long LAST_RETRY_MS = 30_000;

    private final ClusterMember cluster;
    private final List<SnapshotCatalog.Resync> sources = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;
    private volatile Thread workerThread;
    private volatile boolean stale;
    private String reason = "";
    // Guarded by this: every markStale counts; a run opens the gate only if the count did not move.
    private long staleEvents;
    private boolean scheduled;
    private long retryMs = FIRST_RETRY_MS;
    // Counts of the passes since the gate closed (a pass is repeated when it went stale again meanwhile).
    private SnapshotCatalog.Resynced counted = new SnapshotCatalog.Resynced(0, 0, 0, 0);

    CatalogResync(ClusterMember cluster, String threadName) {
        this.cluster = cluster;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    /** Registers a re-reader; the returned action unregisters it. */
    Runnable register(SnapshotCatalog.Resync source) {
        sources.add(source);
        return () -> sources.remove(source);
    }

    /** Closes the gate: the catalogue may be stale from now on (no re-synchronisation started yet). */
    synchronized void markStale(String why) {
        if (!stale) {
            LOG.info("cluster {}: {}: the catalogue may go stale; snapshot changes wait for a re-read of the store",
                    cluster.options().name(), why);
        }
        stale = true;
        reason = why;
        staleEvents++;
    }

    /** Closes the gate and starts a re-synchronisation on this class's thread. */
    synchronized void resyncSoon(String why) {
        markStale(why);
        retryMs = FIRST_RETRY_MS;
        schedule(0);
    }

    private synchronized void schedule(long delayMs) {
        if (scheduled) {
            return;
        }
        try {
            worker.schedule(this::run, delayMs, TimeUnit.MILLISECONDS);
            scheduled = true;
        } catch (RejectedExecutionException e) {
            // shut down
        }
    }

    /** Null when changes may go ahead; else why not (the re-synchronising thread itself always may). */
    String refusal() {
        if (!stale || Thread.currentThread() == workerThread) {
            return null;
        }
        return "the catalogue is being re-read from the store after " + reasonNow() + "; try again shortly";
    }

    private synchronized String reasonNow() {
        return reason;
    }

    boolean isStale() {
        return stale;
    }

    private void run() {
        long events;
        String why;
        synchronized (this) {
            scheduled = false;
            if (!stale) {
                return;
            }
            events = staleEvents;
            why = reason;
        }
        if (!cluster.hasQuorum()) {
            LOG.info("cluster {}: catalogue re-read postponed until a majority is back", cluster.options().name());
            return; // quorumChanged(true) starts it again
        }
        long start = System.nanoTime();
        LOG.warn("cluster {}: re-reading the catalogue from the store after {}; snapshot changes refused until "
                + "done", cluster.options().name(), why);
        SnapshotCatalog.Resynced total = new SnapshotCatalog.Resynced(0, 0, 0, 0);
        try {
            for (SnapshotCatalog.Resync source : sources) {
                total = total.plus(source.resync());
            }
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            synchronized (this) {
                if (cluster.hasQuorum()) {
                    LOG.warn("cluster {}: catalogue re-read failed ({}); still refusing snapshot changes, "
                            + "retrying in {} ms", cluster.options().name(), cause.toString(), retryMs);
                    schedule(retryMs);
                    retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
                } else {
                    LOG.warn("cluster {}: catalogue re-read failed ({}); still refusing snapshot changes until the "
                            + "majority is back", cluster.options().name(), cause.toString());
                }
            }
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        synchronized (this) {
            total = counted.plus(total);
            counted = total;
            if (staleEvents != events) {
                LOG.info("cluster {}: catalogue re-read done in {} ms, but it may have gone stale again ({}); "
                        + "re-reading again", cluster.options().name(), ms, reason);
                schedule(0);
                return;
            }
            stale = false;
            retryMs = FIRST_RETRY_MS;
            counted = new SnapshotCatalog.Resynced(0, 0, 0, 0);
        }
        LOG.info("cluster {}: catalogue re-read from the store in {} ms: {} histories read, {} published, {} "
                        + "re-read under their lock, {} removed; snapshot changes allowed again",
                cluster.options().name(), ms, total.read(), total.published(), total.reread(), total.removed());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
