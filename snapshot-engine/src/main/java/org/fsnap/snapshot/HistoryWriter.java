package org.fsnap.snapshot;

import java.io.IOException;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits history changes: appends the events to the store's log (the durable commit point), then
 * publishes the new state to the catalogue, and compacts a log that has grown much longer than its state.
 * Callers hold the history's lock.
 */
final class HistoryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

    private final SnapshotStore store;
    private final SnapshotCatalog catalog;
    private final int compactionSlack;
    private final ConcurrentMap<FileKey, Integer> logRecords = new ConcurrentHashMap<>();

    HistoryWriter(SnapshotStore store, SnapshotCatalog catalog, int compactionSlack) {
        this.store = store;
        this.catalog = catalog;
        this.compactionSlack = compactionSlack;
    }

    /** The current state of a history, or an empty one (version 0) when there is none. */
    FileHistory current(FileKey key) {
        return catalog.find(key).orElseGet(() -> FileHistory.empty(key));
    }

    /** Records a history found in the store at start-up. */
    void loaded(FileHistory history, int records) {
        catalog.load(history);
        logRecords.put(history.key(), records);
    }

    /** Records the log length of a history read from the store without its lock (re-synchronisation). */
    void reread(FileKey key, int records) {
        logRecords.put(key, records);
    }

    FileHistory commit(FileHistory history, List<HistoryEvent> events) throws IOException {
        FileHistory next = history;
        for (HistoryEvent event : events) {
            next = next.apply(event);
        }
        catalog.beforeCommit(history.key(), history.version()); // fencing (clustered catalogues)
        store.append(history.key(), events);
        int records = logRecords.merge(history.key(), events.size(), Integer::sum);
        if (!catalog.replace(history.key(), history.version(), next)) {
            // Unreachable with local locks; with a cluster it means our lock was lost (fencing).
            throw new ConcurrentModificationException("history " + history.key() + " changed under its lock");
        }
        if (records > 2L * next.snapshots().size() + compactionSlack && next.pendingRevert().isEmpty()) {
            compact(next);
        }
        return next;
    }

    private void compact(FileHistory history) {
        List<HistoryEvent> events = history.asEvents();
        try {
            store.rewriteLog(history.key(), events);
            logRecords.put(history.key(), events.size());
            LOG.debug("compacted history log of {} to {} records", history.key(), events.size());
        } catch (IOException e) {
            // The long log is still complete and valid; compaction is only an optimisation.
            LOG.warn("could not compact history log of {}: {}", history.key(), e.toString());
        }
    }

    /** Removes a history whose last snapshot is gone, from the store and the catalogue. */
    void remove(FileHistory history) throws IOException {
        catalog.beforeCommit(history.key(), history.version());
        store.removeHistory(history.key());
        catalog.remove(history.key(), history.version());
        logRecords.remove(history.key());
    }
}
