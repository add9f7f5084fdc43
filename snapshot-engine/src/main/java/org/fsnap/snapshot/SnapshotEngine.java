package org.fsnap.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.clone.CloneStrategySelector;
import org.fsnap.snapshot.faults.CrashPoints;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.fsnap.snapshot.nativeio.FileStat;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;
import org.fsnap.snapshot.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy-on-write snapshots of the regular files of one exported directory: the facade the NFS layer uses.
 *
 * <p>Operations by path take the live file's inode lock exclusively (see {@link #locks()}), then its
 * history lock; operations by {@link FileKey} take only the history lock. Every mutating operation is
 * durable when it returns and atomic across crashes (see {@link StoreRecovery}).
 *
 * <p>Thread-safe. One engine per store: {@link #open} fails with {@link StoreInUseException} while another
 * engine (in any process) has it open.
 */
public final class SnapshotEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotEngine.class);

    /** Name of the store directory inside the export root (unless configured elsewhere). */
    public static final String STORE_DIRECTORY_NAME = SnapshotStore.DEFAULT_DIRECTORY_NAME;

    private final SnapshotEngineConfig config;
    private final SnapshotStore store;
    private final LiveFiles liveFiles;
    private final FileIdentity identity;
    private final CloneStrategySelector selector;
    private final FileLocks locks;
    private final SnapshotCatalog catalog;
    private final HistoryWriter writer;
    private final RevertApplier reverts;
    private final StoreRecovery recovery;
    private final int recoveryRepairs;
    private final Runnable resyncRegistration;

    private SnapshotEngine(SnapshotEngineConfig config, SnapshotStore store, LiveFiles liveFiles,
                           CloneStrategySelector selector) throws IOException {
        this.config = config;
        this.store = store;
        this.liveFiles = liveFiles;
        this.identity = new FileIdentity(config.identityXattr());
        this.selector = selector;
        this.locks = config.locks();
        this.catalog = config.catalog();
        this.writer = new HistoryWriter(store, catalog, config.compactionSlack());
        this.reverts = new RevertApplier(store, selector, identity, liveFiles);
        this.recovery = new StoreRecovery(store, reverts, locks, config.sharedStore());
        // Before the start-up recovery: a clustered catalogue that goes stale meanwhile is re-read too.
        this.resyncRegistration = catalog.resyncWith(this::resynchronize);
        try {
            recovery.run(this::loadRecovered);
        } catch (UncheckedIOException e) {
            resyncRegistration.run();
            throw Failures.unwrap(e);
        } catch (IOException | RuntimeException e) {
            resyncRegistration.run();
            throw e;
        }
        this.recoveryRepairs = recovery.repairs();
    }

    /** Opens an engine with default settings for {@code exportRoot}. */
    public static SnapshotEngine open(Path exportRoot) throws IOException {
        return open(SnapshotEngineConfig.builder(exportRoot).build());
    }

    /** Opens the store (creating it if needed), runs recovery, and picks the clone strategy. */
    public static SnapshotEngine open(SnapshotEngineConfig config) throws IOException {
        Path root = config.exportRoot().toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IOException("export root " + root + " is not a directory");
        }
        Path storeDir = config.storeDirectory().map(p -> p.toAbsolutePath().normalize())
                .orElse(root.resolve(STORE_DIRECTORY_NAME));
        SnapshotStore store = SnapshotStore.open(storeDir, config.sharedStore());
        try {
            Path realStore = store.directory().toRealPath();
            long rootDevice;
            try (NativeFile dir = NativeFile.openDirectory(root)) {
                rootDevice = dir.stat().device();
            }
            CloneStrategySelector selector = new CloneStrategySelector(realStore, store.device(),
                    config.forcedStrategy());
            String fsType = Files.getFileStore(realStore).type();
            LOG.info("snapshot engine: export {}, store {} ({}), clone strategy {}{}", root, realStore, fsType,
                    selector.storeStrategy(), selector.isForced() ? " (forced by configuration)" : "");
            if (rootDevice != store.device()) {
                LOG.warn("snapshot store {} is not on the export's filesystem: snapshots will be full copies",
                        realStore);
            }
            return new SnapshotEngine(config, store, new LiveFiles(root, realStore), selector);
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- store location, for the NFS view

    /** The store directory; the view must hide it (and everything under it) completely. */
    public Path storeDirectory() {
        return store.directory();
    }

    /** True if {@code path} is the store or inside it (such paths are never valid live files). */
    public boolean isStorePath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(store.directory()) || liveFiles.isStore(absolute);
    }

    public Path exportRoot() {
        return liveFiles.root();
    }

    /** The clone strategy used for files on the export's own filesystem. */
    public CloneStrategy strategy() {
        return selector.storeStrategy();
    }

    /** The locks the engine takes; the NFS WRITE path takes {@link LockKey.Inode} shared through it. */
    public FileLocks locks() {
        return locks;
    }

    public int maxSnapshotsPerFile() {
        return config.maxSnapshotsPerFile();
    }

    /** Number of repairs the start-up recovery made (0 after a clean shutdown). */
    public int recoveryRepairs() {
        return recoveryRepairs;
    }

    // ---------------------------------------------------------------- operations on live files

    /**
     * Takes a snapshot of a live regular file.
     *
     * @param nameOrEmpty the snapshot name, or "" for an automatic UTC name like {@code 20261122T193000Z}
     *                    ({@code -2}, {@code -3}, … appended when taken)
     */
    public SnapshotInfo create(Path liveFile, String nameOrEmpty) throws SnapshotException {
        if (!nameOrEmpty.isEmpty()) {
            SnapshotNames.validate(nameOrEmpty);
        }
        return onLiveFile(liveFile, false, "create snapshot of", (path, live, stat) -> {
            FileKey key = identity.readOrAssign(live);
            CrashPoints.reach("create.after-identity");
            try (FileLocks.Lease history = lockHistory(key)) {
                FileHistory h = finishPendingRevert(writer.current(key), live, stat);
                return createSnapshot(h, path, live, nameOrEmpty);
            }
        });
    }

    private SnapshotInfo createSnapshot(FileHistory h, LiveFiles.LivePath path, NativeFile live, String requested)
            throws IOException {
        String name = requested.isEmpty() ? SnapshotNames.automatic(config.clock().instant(), h) : requested;
        if (h.find(name).isPresent()) {
            throw new SnapshotExistsException("snapshot " + name + " of " + path.relative() + " already exists");
        }
        if (h.snapshots().size() >= config.maxSnapshotsPerFile()) {
            throw new SnapshotLimitException(path.relative() + " already has " + h.snapshots().size()
                    + " snapshots, the maximum");
        }
        FileKey key = h.key();
        long serial = h.nextSerial();
        store.ensureHistoryDirectory(key);
        boolean committed = false;
        try (NativeFile content = store.createContent(key, serial)) {
            CrashPoints.reach("create.after-content-file");
            FileStat stat = live.stat();
            if (selector.strategyFor(stat.device()).sharesExtents()) {
                content.truncate(stat.size()); // FICLONE wants the target no longer than the source
            } else if (!content.allocate(0, stat.size(), false)) {
                content.truncate(stat.size()); // no fallocate here; ENOSPC will surface mid-copy instead
            }
            CloneStrategySelector.Transfer transfer = selector.transfer(stat.device(), live, content, stat.size());
            if (transfer.bytes() != stat.size()) {
                content.truncate(transfer.bytes()); // a local writer shrank the file meanwhile
            }
            content.setModified(stat.modified());
            if (!coveredByNextCommit(transfer.strategy(), stat.device())) {
                content.fsync(); // content before the event that refers to it
            }
            CrashPoints.reach("create.after-content-sync");
            SnapshotRecord record = new SnapshotRecord(serial, name, config.clock().instant(), transfer.bytes(),
                    h.currentSerial(), transfer.strategy(), stat.modified());
            List<HistoryEvent> events = new ArrayList<>(2);
            events.add(new HistoryEvent.Created(h.version() + 1, record));
            if (!path.relative().equals(h.location()) || h.liveRemoved()) {
                events.add(new HistoryEvent.Located(h.version() + 2, path.relative()));
            }
            FileHistory next = writer.commit(h, events);
            committed = true;
            CrashPoints.reach("create.after-commit");
            LOG.debug("created snapshot {} of {} ({} bytes, {})", name, path.relative(), record.size(),
                    record.strategy());
            return next.toInfo(record);
        } finally {
            if (!committed) {
                discardUncommitted(h, serial);
            }
        }
    }

    /**
     * Whether the commit that follows will make this transfer durable by itself (a reflink on a filesystem
     * with one ordered metadata log), so that a separate fsync would only cost a second log force.
     */
    private boolean coveredByNextCommit(CloneStrategy used, long liveDevice) {
        return used == CloneStrategy.FICLONE && liveDevice == store.device() && store.fsyncCoversEarlierMetadata();
    }

    private void discardUncommitted(FileHistory h, long serial) {
        try {
            store.deleteContent(h.key(), serial);
            if (h.version() == 0) {
                store.removeHistory(h.key());
            }
        } catch (IOException e) {
            LOG.warn("could not clean up after a failed snapshot of {} (recovery will): {}", h.key(), e.toString());
        }
    }

    /** The snapshots of a live file, oldest first (empty if it has none). */
    public List<SnapshotInfo> list(Path liveFile) throws SnapshotException {
        try {
            return keyOfRegular(liveFile).map(this::listOrEmpty).orElse(List.of());
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    /** The name of the live file's current snapshot (last created or reverted to). */
    public Optional<String> current(Path liveFile) throws SnapshotException {
        try {
            return keyOfRegular(liveFile).flatMap(this::currentOf);
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    /** Deletes one snapshot; its children are re-parented to its parent. */
    public void delete(Path liveFile, String name) throws SnapshotException {
        SnapshotNames.validate(name);
        onLiveFile(liveFile, false, "delete snapshot of", (path, live, stat) -> {
            FileKey key = identity.read(live).orElseThrow(() -> noSuchSnapshot(name, path.relative()));
            try (FileLocks.Lease history = lockHistory(key)) {
                FileHistory h = finishPendingRevert(writer.current(key), live, stat);
                deleteSnapshot(h, name, path.relative());
                return null;
            }
        });
    }

    /**
     * Reverts the live file to a snapshot, in place: same inode (NFS fileid and handle unchanged), open
     * descriptors see the snapshot's content. The snapshot becomes the current one.
     */
    public void revert(Path liveFile, String name) throws SnapshotException {
        SnapshotNames.validate(name);
        onLiveFile(liveFile, true, "revert", (path, live, stat) -> {
            FileKey key = identity.read(live).orElseThrow(() -> noSuchSnapshot(name, path.relative()));
            try (FileLocks.Lease history = lockHistory(key)) {
                FileHistory h = finishPendingRevert(writer.current(key), live, stat);
                SnapshotRecord target = h.find(name).orElseThrow(() -> noSuchSnapshot(name, path.relative()));
                revertTo(h, target, path, live, stat);
                return null;
            }
        });
    }

    private void revertTo(FileHistory h, SnapshotRecord target, LiveFiles.LivePath path, NativeFile live,
                          FileStat stat) throws IOException {
        reverts.reserveSpace(live, stat, path.absolute(), target.size());
        FileHistory intended = writer.commit(h, List.of(
                new HistoryEvent.RevertStarted(h.version() + 1, target.serial(), stat.inode(), path.relative())));
        CrashPoints.reach("revert.after-intent");
        reverts.apply(h.key(), target, live, stat.device());
        CrashPoints.reach("revert.after-apply");
        List<HistoryEvent> done = new ArrayList<>(2);
        done.add(new HistoryEvent.CurrentChanged(intended.version() + 1, target.serial()));
        if (!path.relative().equals(intended.location()) || intended.liveRemoved()) {
            done.add(new HistoryEvent.Located(intended.version() + 2, path.relative()));
        }
        writer.commit(intended, done);
        CrashPoints.reach("revert.after-commit");
        LOG.debug("reverted {} to snapshot {}", path.relative(), target.name());
    }

    /**
     * The identity of a live regular file, if it was ever snapshotted. Empty for files without one, for
     * non-regular files and for paths that do not exist.
     */
    public Optional<FileKey> keyOf(Path liveFile) throws SnapshotException {
        LiveFiles.LivePath path = liveFiles.resolve(liveFile);
        try {
            if (!Files.isRegularFile(path.absolute(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return identity.readNoFollow(path.absolute());
        } catch (IOException e) {
            throw Failures.translate(e, "read identity of " + path.relative());
        }
    }

    // ---------------------------------------------------------------- operations by key (the view)

    /** The snapshots of a history, oldest first; empty for an unknown key. */
    public List<SnapshotInfo> list(FileKey key) {
        return listOrEmpty(key);
    }

    public Optional<String> current(FileKey key) {
        return currentOf(key);
    }

    /** One snapshot's metadata (size, content mtime, …). */
    public SnapshotInfo snapshot(FileKey key, String name) throws SnapshotException {
        FileHistory h = catalog.find(key).orElseThrow(() -> noSuchSnapshot(name, key.toString()));
        return h.toInfo(h.find(name).orElseThrow(() -> noSuchSnapshot(name, key.toString())));
    }

    /** A read-only channel on a snapshot's content; it stays readable even if the snapshot is deleted. */
    public FileChannel openSnapshot(FileKey key, String name) throws SnapshotException {
        try {
            return store.openContentChannel(key, record(key, name).serial());
        } catch (IOException e) {
            throw Failures.translate(e, "open snapshot " + name + " of " + key);
        }
    }

    /**
     * Where a snapshot's content is, for readers that map it: the file is never written once
     * the snapshot is taken, and deleting the snapshot unlinks it (an open mapping stays valid).
     */
    public Path snapshotContent(FileKey key, String name) throws SnapshotException {
        return store.contentPath(key, record(key, name).serial());
    }

    private SnapshotRecord record(FileKey key, String name) throws SnapshotNotFoundException {
        FileHistory h = catalog.find(key).orElseThrow(() -> noSuchSnapshot(name, key.toString()));
        return h.find(name).orElseThrow(() -> noSuchSnapshot(name, key.toString()));
    }

    /** Deletes a snapshot by key: works for orphans, whose live file is gone. */
    public void delete(FileKey key, String name) throws SnapshotException {
        SnapshotNames.validate(name);
        try (FileLocks.Lease history = lockHistory(key)) {
            FileHistory h = writer.current(key);
            if (h.pendingRevert().filter(p -> h.find(name).map(SnapshotRecord::serial)
                    .filter(s -> s == p.serial()).isPresent()).isPresent()) {
                throw new SnapshotIoException("snapshot " + name + " is the target of an unfinished revert; "
                        + "revert the live file again first", null);
            }
            deleteSnapshot(h, name, key.toString());
        } catch (IOException e) {
            throw Failures.translate(e, "delete snapshot " + name + " of " + key);
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    private void deleteSnapshot(FileHistory h, String name, String subject) throws IOException {
        SnapshotRecord gone = h.find(name).orElseThrow(() -> noSuchSnapshot(name, subject));
        FileHistory next = writer.commit(h, List.of(new HistoryEvent.Deleted(h.version() + 1, gone.serial())));
        CrashPoints.reach("delete.after-commit");
        if (next.isEmpty() && next.pendingRevert().isEmpty()) {
            writer.remove(next);
        } else {
            try {
                store.deleteContent(h.key(), gone.serial());
            } catch (IOException e) {
                LOG.warn("snapshot {} of {} deleted, but its content file stays until recovery: {}", name,
                        subject, e.toString());
            }
        }
        CrashPoints.reach("delete.after-content-removed");
        LOG.debug("deleted snapshot {} of {}", name, subject);
    }

    // ---------------------------------------------------------------- directory view and liveness hooks

    /**
     * The histories to show in {@code directory}'s snapshot view: live files in it that have snapshots
     * (under their own names), then orphans last seen in it (as {@code NAME@<8 hex digits of the id>};
     * all 32 digits when two orphans there would get the same name).
     *
     * <p>An orphan is a history whose live file was reported removed ({@link #liveFileRemoved}) or is no
     * longer at its last known path. A live file found in a directory while its recorded path is stale is
     * re-located here, so files renamed outside this server reappear under their new name.
     */
    public List<SnapshottedFile> filesWithSnapshots(Path directory) throws SnapshotException {
        LiveFiles.LivePath dir = liveFiles.resolveDirectory(directory);
        List<SnapshottedFile> result = new ArrayList<>();
        Set<FileKey> seen = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.absolute())) {
            for (Path entry : entries) {
                if (liveFiles.isStore(entry)) {
                    continue;
                }
                Optional<FileKey> key = identity.readNoFollow(entry);
                if (key.isEmpty() || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Optional<FileHistory> h = catalog.find(key.get());
                if (h.isEmpty() || h.get().isEmpty()) {
                    continue;
                }
                seen.add(key.get());
                result.add(new SnapshottedFile(key.get(), entry.getFileName().toString(), Optional.of(entry),
                        h.get().snapshots().size()));
                String relative = liveFiles.relative(entry);
                if (!relative.equals(h.get().location())
                        && (h.get().liveRemoved() || !isAt(h.get().location(), key.get()))) {
                    relocate(key.get(), relative);
                }
            }
        } catch (IOException e) {
            throw Failures.translate(e, "list snapshots in " + dir.relative());
        }
        List<FileHistory> orphans = new ArrayList<>();
        for (FileHistory h : catalog.locatedIn(dir.relative())) {
            if (!seen.contains(h.key()) && !h.isEmpty() && (h.liveRemoved() || !isAt(h.location(), h.key()))) {
                orphans.add(h);
            }
        }
        Map<String, Integer> shortNames = new HashMap<>();
        for (FileHistory h : orphans) {
            shortNames.merge(SnapshotNames.orphan(h.locationName(), h.key().shortId()), 1, Integer::sum);
        }
        List<SnapshottedFile> orphanEntries = new ArrayList<>();
        for (FileHistory h : orphans) {
            String name = SnapshotNames.orphan(h.locationName(), h.key().shortId());
            if (shortNames.get(name) > 1) {
                name = SnapshotNames.orphan(h.locationName(), h.key().longId());
            }
            orphanEntries.add(new SnapshottedFile(h.key(), name, Optional.empty(), h.snapshots().size()));
        }
        orphanEntries.sort(Comparator.comparing(SnapshottedFile::viewName));
        result.addAll(orphanEntries);
        return result;
    }

    /** Looks up one entry of {@link #filesWithSnapshots} by its view name. */
    public Optional<SnapshottedFile> findInView(Path directory, String viewName) throws SnapshotException {
        for (SnapshottedFile f : filesWithSnapshots(directory)) {
            if (f.viewName().equals(viewName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Hook for the NFS layer after it removed a name of a file with an identity.
     *
     * @param removedPath    the name that was removed
     * @param remainingLinks the inode's link count after the removal; 0 turns the history into an orphan
     *                       shown in the removed name's directory
     */
    public void liveFileRemoved(FileKey key, Path removedPath, long remainingLinks) throws SnapshotException {
        String relative = liveFiles.resolve(removedPath).relative();
        try (FileLocks.Lease history = lockHistory(key)) {
            FileHistory h = writer.current(key);
            if (h.isEmpty()) {
                return;
            }
            long v = h.version();
            if (remainingLinks <= 0) {
                List<HistoryEvent> events = new ArrayList<>(2);
                if (!relative.equals(h.location())) {
                    events.add(new HistoryEvent.Located(++v, relative));
                }
                events.add(new HistoryEvent.LiveRemoved(++v));
                writer.commit(h, events);
                LOG.debug("{} removed; its {} snapshots are kept as an orphan", relative, h.snapshots().size());
            } else if (relative.equals(h.location())) {
                // Another link lives on somewhere; forget this path until the file is seen again.
                writer.commit(h, List.of(new HistoryEvent.Located(v + 1, "")));
            }
        } catch (IOException e) {
            throw Failures.translate(e, "record removal of " + relative);
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    /** Hook for the NFS layer after a rename or link: records where the live file now is. */
    public void liveFileMoved(FileKey key, Path newPath) throws SnapshotException {
        LiveFiles.LivePath path = liveFiles.resolve(newPath);
        try {
            if (!identity.readNoFollow(path.absolute()).equals(Optional.of(key))) {
                return; // not that file (any more); nothing to record
            }
        } catch (IOException e) {
            throw Failures.translate(e, "read identity of " + path.relative());
        }
        relocate(key, path.relative());
    }

    private void relocate(FileKey key, String relative) throws SnapshotException {
        try (FileLocks.Lease history = lockHistory(key)) {
            FileHistory h = writer.current(key);
            if (!h.isEmpty() && (!relative.equals(h.location()) || h.liveRemoved())) {
                writer.commit(h, List.of(new HistoryEvent.Located(h.version() + 1, relative)));
            }
        } catch (IOException e) {
            throw Failures.translate(e, "record location " + relative);
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    // ---------------------------------------------------------------- internals

    private boolean isAt(String location, FileKey key) {
        if (location.isEmpty()) {
            return false;
        }
        try {
            return identity.readNoFollow(liveFiles.absolute(location)).equals(Optional.of(key));
        } catch (NativeIoException e) {
            return false;
        }
    }

    private List<SnapshotInfo> listOrEmpty(FileKey key) {
        return catalog.find(key).map(FileHistory::toInfos).orElse(List.of());
    }

    private Optional<String> currentOf(FileKey key) {
        return catalog.find(key).flatMap(FileHistory::currentName);
    }

    private Optional<FileKey> keyOfRegular(Path liveFile) throws SnapshotException {
        LiveFiles.LivePath path = liveFiles.resolve(liveFile);
        try (NativeFile live = liveFiles.openRegular(path, false)) {
            return identity.read(live);
        } catch (IOException e) {
            throw Failures.translate(e, "read identity of " + path.relative());
        }
    }

    /** Publishes a history recovery read from the store (or, in a shared store, forgets one it removed). */
    private void loadRecovered(FileKey key, StoreRecovery.Recovered r) {
        if (r != null) {
            writer.loaded(r.history(), r.records());
        } else if (config.sharedStore()) {
            catalog.find(key).ifPresent(h -> catalog.remove(key, h.version()));
        }
    }

    /**
     * Re-reads the whole store into the catalogue after the catalogue may have gone stale (called by a
     * clustered catalogue on its re-synchronisation thread after a split, while it refuses changes; see
     * {@link SnapshotCatalog.Resync}). Without history locks, so it never waits for operations of other
     * nodes and repairs nothing: each history read from the store is published only if the catalogue
     * lacks it or has an older version, which can never undo a change committed meanwhile. Under its lock,
     * as when a lock's holder failed, are re-read only the histories where that rule cannot decide: the
     * catalogue is ahead or has other content at the same version (a commit racing with this read, or a
     * stale copy of an earlier incarnation of a history that was removed and created again), or the
     * catalogue has a history the store has not (removed from the catalogue then, as by start-up recovery).
     */
    private SnapshotCatalog.Resynced resynchronize() throws IOException {
        int read = 0;
        int published = 0;
        int reread = 0;
        int removed = 0;
        Set<FileKey> inStore = new HashSet<>();
        for (FileKey key : store.keys()) {
            StoreRecovery.Recovered r = recovery.readCommitted(key);
            if (r == null) {
                continue; // no committed event: being created, or debris for its next lock holder
            }
            read++;
            inStore.add(key);
            switch (catalog.publishIfNewer(r.history())) {
                case PUBLISHED -> {
                    published++;
                    writer.reread(key, r.records());
                    LOG.debug("history {} re-published from the store at version {}", key, r.history().version());
                }
                case SAME -> writer.reread(key, r.records());
                case DIFFERENT -> {
                    reread++;
                    removed += rereadUnderLock(key) ? 0 : 1;
                }
            }
        }
        for (FileKey key : catalog.keys()) {
            if (!inStore.contains(key)) {
                reread++;
                removed += rereadUnderLock(key) ? 0 : 1;
            }
        }
        return new SnapshotCatalog.Resynced(read, published, reread, removed);
    }

    /** Recovers one history from the store under its lock and publishes it; false when it is gone. */
    private boolean rereadUnderLock(FileKey key) throws IOException {
        try (FileLocks.Lease lease = locks.exclusive(new LockKey.History(key))) {
            StoreRecovery.Recovered r = Files.isDirectory(store.historyDirectory(key), LinkOption.NOFOLLOW_LINKS)
                    ? recovery.recoverOne(key) : null;
            loadRecovered(key, r);
            LOG.debug("history {} re-read from the store under its lock{}", key, r == null ? ": it is gone" : "");
            return r != null;
        }
    }

    /**
     * Takes a history's lock. When its previous holder never released it (a node that died or was cut off
     * in the middle of an operation; only cluster-wide locks can tell), the catalogue may lag behind the
     * store or the store may hold debris: the history is then recovered from the store, as at start-up.
     */
    private FileLocks.Lease lockHistory(FileKey key) throws IOException {
        FileLocks.Lease lease = locks.exclusive(new LockKey.History(key));
        if (lease.predecessorFailed()) {
            try {
                loadRecovered(key, recovery.recoverOne(key));
                LOG.info("history {} re-read from the store: the previous holder of its lock failed", key);
            } catch (IOException | RuntimeException e) {
                lease.close();
                throw e;
            }
        }
        return lease;
    }

    /** Completes a revert left unfinished by a failed apply, if it was meant for this very inode. */
    private FileHistory finishPendingRevert(FileHistory h, NativeFile live, FileStat stat) throws IOException {
        if (h.pendingRevert().isEmpty() || h.pendingRevert().get().inode() != stat.inode()) {
            return h;
        }
        SnapshotRecord target = h.find(h.pendingRevert().get().serial()).orElse(null);
        if (target == null) {
            return writer.commit(h, List.of(new HistoryEvent.RevertAbandoned(h.version() + 1)));
        }
        reverts.apply(h.key(), target, live, stat.device());
        LOG.info("completed the unfinished revert of {} to {}", h.key(), target.name());
        return writer.commit(h, List.of(new HistoryEvent.CurrentChanged(h.version() + 1, target.serial())));
    }

    private static SnapshotNotFoundException noSuchSnapshot(String name, String subject) {
        return new SnapshotNotFoundException("no snapshot " + name + " of " + subject);
    }

    @FunctionalInterface
    private interface LiveFileAction<T> {
        T run(LiveFiles.LivePath path, NativeFile live, FileStat stat) throws IOException;
    }

    /** Resolves and opens a live file, holds its inode lock exclusively, and maps failures. */
    private <T> T onLiveFile(Path liveFile, boolean writable, String what, LiveFileAction<T> action)
            throws SnapshotException {
        LiveFiles.LivePath path = liveFiles.resolve(liveFile);
        try (NativeFile live = liveFiles.openRegular(path, writable)) {
            FileStat before = live.stat();
            try (FileLocks.Lease inode = locks.exclusive(new LockKey.Inode(before.device(), before.inode()))) {
                return action.run(path, live, live.stat());
            }
        } catch (IOException e) {
            throw Failures.translate(e, what + " " + path.relative());
        } catch (UncheckedIOException e) {
            throw Failures.unwrap(e);
        }
    }

    @Override
    public void close() throws IOException {
        resyncRegistration.run();
        store.close();
    }
}
