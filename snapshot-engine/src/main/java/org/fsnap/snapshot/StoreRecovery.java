package org.fsnap.snapshot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.HistoryEventCodec;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.fsnap.snapshot.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the store back to a consistent state at start-up, before any operation runs, and logs every
 * repair. What a crash can leave behind, and what is done about it:
 *
 * <ul>
 *   <li>a torn last log record (power cut during an append): cut off; that operation did not happen;</li>
 *   <li>content files no committed event refers to (create interrupted before its commit, or delete
 *       interrupted after it): removed;</li>
 *   <li>a revert intent without its completion: the revert is applied again onto the live inode;</li>
 *   <li>a committed snapshot whose content file is missing (only possible if the filesystem lost a
 *       directory entry despite fsync): dropped from the history, loudly;</li>
 *   <li>temporary files of a compaction, probe files, and histories left with no snapshots: removed.</li>
 * </ul>
 */
final class StoreRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

    /** A history that survived recovery, with its number of log records (for compaction decisions). */
    record Recovered(FileHistory history, int records) {
    }

    /** Receives each history as recovered: null when recovery removed it (called under its lock if shared). */
    @FunctionalInterface
    interface Loader {
        void loaded(FileKey key, Recovered recovered) throws IOException;
    }

    /** Probe files younger than this may belong to another node starting up at the same time. */
    private static final long STALE_PROBE_MILLIS = 10 * 60 * 1000;

    private final SnapshotStore store;
    private final RevertApplier reverts;
    private final FileLocks locks;
    private final boolean shared;
    private int repairs;

    StoreRecovery(SnapshotStore store, RevertApplier reverts) {
        this(store, reverts, null, false);
    }

    /**
     * @param shared the store is shared with live engines on other nodes: each history is recovered under
     *               its (cluster-wide) history lock from {@code locks}, so recovery never touches a history
     *               another node is changing, and only stale probe files are removed
     */
    StoreRecovery(SnapshotStore store, RevertApplier reverts, FileLocks locks, boolean shared) {
        this.store = store;
        this.reverts = reverts;
        this.locks = locks;
        this.shared = shared;
    }

    List<Recovered> run() throws IOException {
        List<Recovered> recovered = new ArrayList<>();
        run((key, r) -> {
            if (r != null) {
                recovered.add(r);
            }
        });
        return recovered;
    }

    void run(Loader loader) throws IOException {
        removeProbeFiles();
        for (Path foreign : store.foreignEntries()) {
            LOG.warn("recovery: ignoring unexpected entry {} in the snapshot store", foreign);
        }
        int histories = 0;
        for (FileKey key : store.keys()) {
            Recovered r;
            if (shared) {
                try (FileLocks.Lease lease = locks.exclusive(new LockKey.History(key))) {
                    r = recover(key);
                    loader.loaded(key, r);
                }
            } else {
                r = recover(key);
                loader.loaded(key, r);
            }
            if (r != null) {
                histories++;
            }
        }
        if (repairs == 0) {
            LOG.info("recovery: store {} is consistent ({} histories)", store.directory(), histories);
        } else {
            LOG.info("recovery: store {} repaired ({} repairs, {} histories)", store.directory(), repairs,
                    histories);
        }
    }

    /**
     * Re-reads one history from the store and repairs it, as at start-up: after its lock's previous holder
     * failed mid-operation. The caller holds the history's lock. Null when the history is gone.
     */
    Recovered recoverOne(FileKey key) throws IOException {
        return recover(key);
    }

    /**
     * Reads one history from the store without its lock and without repairing anything (another node may
     * be in the middle of an operation on it): a torn last record is taken as not there (an append in
     * progress). Null when the store has no committed event for it.
     */
    Recovered readCommitted(FileKey key) throws IOException {
        HistoryEventCodec.Decoded log = store.readLog(key);
        FileHistory history = FileHistory.replay(key, log.events());
        return history.version() == 0 ? null : new Recovered(history, log.events().size());
    }

    int repairs() {
        return repairs;
    }

    private void removeProbeFiles() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.directory(), "probe-*")) {
            for (Path probe : entries) {
                if (shared && isRecent(probe)) {
                    continue; // another node may be probing right now
                }
                Files.deleteIfExists(probe);
                repaired("removed clone-probe file {}", probe.getFileName());
            }
        }
    }

    private Recovered recover(FileKey key) throws IOException {
        HistoryEventCodec.Decoded log = store.readLog(key);
        if (log.torn()) {
            store.truncateLog(key, log.validLength());
            repaired("{}: cut a torn record off the history log at byte {}", key, log.validLength());
        }
        int records = log.events().size();
        FileHistory history = FileHistory.replay(key, log.events());

        Set<Long> referenced = new HashSet<>();
        for (SnapshotRecord s : history.snapshots()) {
            referenced.add(s.serial());
        }
        Set<Long> present = new HashSet<>();
        for (Path entry : store.entries(key)) {
            String name = entry.getFileName().toString();
            if (name.equals(SnapshotStore.LOG_NAME)) {
                continue;
            }
            Long serial = serialOf(name);
            if (serial == null) {
                Files.deleteIfExists(entry);
                repaired("{}: removed leftover file {}", key, name);
            } else if (!referenced.contains(serial)) {
                Files.deleteIfExists(entry);
                repaired("{}: removed uncommitted or deleted snapshot content {}", key, name);
            } else {
                present.add(serial);
            }
        }

        List<HistoryEvent> fixes = new ArrayList<>();
        FileHistory fixed = history;
        for (SnapshotRecord s : history.snapshots()) {
            if (present.contains(s.serial()) && Files.size(store.contentPath(key, s.serial())) != s.size()) {
                // Cannot happen if fsync keeps its promises; better a loud drop than a wrong snapshot.
                HistoryEvent drop = new HistoryEvent.Deleted(fixed.version() + 1, s.serial());
                fixes.add(drop);
                fixed = fixed.apply(drop);
                Files.deleteIfExists(store.contentPath(key, s.serial()));
                repaired("{}: snapshot {} has content of the wrong size; dropped it", key, s.name());
                LOG.error("recovery: {}: snapshot {} (serial {}) content is not {} bytes", key, s.name(), s.serial(),
                        s.size());
            } else if (!present.contains(s.serial())) {
                HistoryEvent drop = new HistoryEvent.Deleted(fixed.version() + 1, s.serial());
                fixes.add(drop);
                fixed = fixed.apply(drop);
                repaired("{}: snapshot {} lost its content file; dropped it from the history", key, s.name());
                LOG.error("recovery: {}: snapshot {} (serial {}) was committed but its content is missing",
                        key, s.name(), s.serial());
            }
        }
        if (fixed.pendingRevert().isPresent()) {
            HistoryEvent closing = reverts.complete(fixed);
            fixes.add(closing);
            fixed = fixed.apply(closing);
            repaired("{}: interrupted revert {}", key,
                    closing instanceof HistoryEvent.CurrentChanged ? "re-applied" : "abandoned");
        }
        if (fixed.isEmpty()) {
            store.removeHistory(key);
            if (history.version() > 0 || records > 0 || !present.isEmpty()) {
                repaired("{}: removed history without snapshots", key);
            } else {
                repaired("{}: removed empty history directory", key);
            }
            return null;
        }
        if (!fixes.isEmpty()) {
            store.append(key, fixes);
            records += fixes.size();
        }
        return new Recovered(fixed, records);
    }

    private static boolean isRecent(Path file) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis() < STALE_PROBE_MILLIS;
        } catch (IOException e) {
            return false; // already gone
        }
    }

    private static Long serialOf(String name) {
        if (!name.endsWith(SnapshotStore.CONTENT_SUFFIX)) {
            return null;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - SnapshotStore.CONTENT_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void repaired(String format, Object... args) {
        repairs++;
        LOG.info("recovery: " + format, args);
    }
}
