package org.fsnap.snapshot;

import java.io.IOException;
import java.util.Optional;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.clone.CloneStrategySelector;
import org.fsnap.snapshot.faults.CrashPoints;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.PendingRevert;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.nativeio.FileStat;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;
import org.fsnap.snapshot.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a snapshot's content onto the live inode in place, so the file keeps its inode number (NFS
 * fileid and file handle) and every open descriptor sees the reverted bytes.
 *
 * <p>Applying is idempotent: size the live file to the snapshot's size, transfer the whole content, fsync.
 * That is what makes the logged revert intent safe: whatever state a crash left the live file in,
 * applying again produces exactly the snapshot.
 */
final class RevertApplier {

    private static final Logger LOG = LoggerFactory.getLogger(RevertApplier.class);

    private final SnapshotStore store;
    private final CloneStrategySelector selector;
    private final FileIdentity identity;
    private final LiveFiles liveFiles;

    RevertApplier(SnapshotStore store, CloneStrategySelector selector, FileIdentity identity, LiveFiles liveFiles) {
        this.store = store;
        this.selector = selector;
        this.identity = identity;
        this.liveFiles = liveFiles;
    }

    /**
     * Claims the blocks a copying revert will need before anything is changed, so that running out of
     * space fails the revert up front instead of half way through the live file. Where the filesystem
     * cannot preallocate, compare the blocks still to be allocated with the free space instead: racy, but
     * it turns the common case into a clean refusal.
     */
    void reserveSpace(NativeFile live, FileStat liveStat, java.nio.file.Path livePath, long size)
            throws IOException {
        if (selector.strategyFor(liveStat.device()).sharesExtents() || live.allocate(0, size, true)) {
            return;
        }
        long needed = size - liveStat.allocatedBytes();
        long free = java.nio.file.Files.getFileStore(livePath).getUnallocatedSpace();
        if (needed > free) {
            throw new NoSpaceException("revert needs " + needed + " more bytes, the filesystem has " + free);
        }
    }

    CloneStrategy apply(FileKey key, SnapshotRecord snapshot, NativeFile live, long device) throws IOException {
        try (NativeFile content = store.openContent(key, snapshot.serial())) {
            live.truncate(snapshot.size());
            CrashPoints.reach("revert.after-truncate");
            CloneStrategySelector.Transfer transfer = selector.transfer(device, content, live, snapshot.size());
            if (transfer.bytes() != snapshot.size()) {
                throw new IOException("snapshot content " + snapshot.name() + " of " + key + " is "
                        + transfer.bytes() + " bytes, expected " + snapshot.size());
            }
            CrashPoints.reach("revert.before-sync");
            // The caller commits the revert next; on XFS that log force covers a reflink made here.
            if (!(transfer.strategy() == CloneStrategy.FICLONE && device == store.device()
                    && store.fsyncCoversEarlierMetadata())) {
                live.fsync();
            }
            return transfer.strategy();
        }
    }

    /**
     * Finishes an interrupted revert, if the live file is still the inode it was meant for.
     *
     * @return the event closing the intent: CurrentChanged when re-applied, RevertAbandoned when the live
     *         file is gone or is no longer that inode
     */
    HistoryEvent complete(FileHistory history) throws IOException {
        PendingRevert pending = history.pendingRevert().orElseThrow();
        long version = history.version() + 1;
        Optional<SnapshotRecord> snapshot = history.find(pending.serial());
        if (snapshot.isEmpty()) {
            LOG.warn("dropping revert intent of {}: its snapshot (serial {}) is gone", history.key(), pending.serial());
            return new HistoryEvent.RevertAbandoned(version);
        }
        java.nio.file.Path path = liveFiles.absolute(pending.location());
        NativeFile live;
        try {
            live = NativeFile.openExisting(path, true);
        } catch (NativeIoException e) {
            LOG.warn("dropping revert intent of {} to {}: live file {} cannot be opened ({})", history.key(),
                    snapshot.get().name(), pending.location(), e.getMessage());
            return new HistoryEvent.RevertAbandoned(version);
        }
        try (live) {
            FileStat stat = live.stat();
            if (!stat.isRegularFile() || stat.inode() != pending.inode()
                    || !identity.read(live).equals(Optional.of(history.key()))) {
                LOG.warn("dropping revert intent of {} to {}: {} is no longer the same file", history.key(),
                        snapshot.get().name(), pending.location());
                return new HistoryEvent.RevertAbandoned(version);
            }
            apply(history.key(), snapshot.get(), live, stat.device());
            LOG.info("completed interrupted revert of {} ({}) to snapshot {}", pending.location(), history.key(),
                    snapshot.get().name());
            return new HistoryEvent.CurrentChanged(version, pending.serial());
        }
    }
}
