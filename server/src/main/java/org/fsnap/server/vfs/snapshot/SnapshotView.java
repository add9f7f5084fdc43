package org.fsnap.server.vfs.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.ForwardingFileSystem;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.local.MappedRegion;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.SnapshottedFile;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot view: a decorator over the local filesystem that adds, in every directory
 * {@code D} of the export, a virtual read-only directory {@code D/.fsnap}, and snapshot control
 * through extended attributes ({@link SnapshotControl}).
 *
 * <ul>
 *   <li>{@code D/.fsnap} can be looked up but is never listed; nothing can be created,
 *       linked or renamed under that name (EXIST). A real entry of that name is shadowed.
 *   <li>{@code D/.fsnap/} lists the files of D that have snapshots, and the histories of
 *       removed files as the engine names them ({@code NAME@1a2b3c4d});
 *       {@code D/.fsnap/FILE/} lists FILE's snapshots; {@code D/.fsnap/FILE/NAME} reads one.
 *   <li>Everything below {@code .fsnap} is read-only (ROFS). Virtual objects have stable
 *       fileids with the high bit set (never a real inode number), the live file's owner and
 *       mode without write bits, and the snapshot's content mtime. Reading needs what reading
 *       the live file needs. Histories of removed files belong to the directory's owner,
 *       mode 0400, since their file's owner is gone with it.
 *   <li>The change attributes of the virtual directories are digests of what they list, so
 *       they move whenever a snapshot is created or deleted; a live file's change attribute
 *       moves on revert even within one timestamp tick ({@link ChangeBumps}).
 *   <li>Live writes take the engine's inode lock shared, so a snapshot or revert (which take it
 *       exclusively) never interleaves with a write. Removing or renaming a live file is
 *       reported to the engine, so its snapshots stay reachable.
 *   <li>The engine's store is never reachable: the local filesystem hides it at the root, and
 *       this view refuses its name too.
 * </ul>
 */
public final class SnapshotView extends ForwardingFileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotView.class);

    /** The name of the virtual directory in every directory. */
    public static final String VIEW_NAME = ".fsnap";

    private static final int PATH_MEMORY = 200_000;
    private static final int MAX_INO_CACHE = 65_536;
    private static final long RESOLVED_TTL_NANOS = 2_000_000_000L;
    private static final int OPEN_SNAPSHOTS = 32;

    private final VirtualFileSystem local;
    private final SnapshotEngine engine;
    private final Path exportRoot;
    private final long device;
    private final String storeName;
    private final Inode root;
    private final LivePaths paths;
    private final ChangeBumps bumps = new ChangeBumps();
    private final SnapshotControl control;
    private final ConcurrentHashMap<Inode, Long> inodeNumbers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ResolvedKey, Resolved> resolved = new ConcurrentHashMap<>();
    private final Map<String, FileChannel> channels = new LinkedHashMap<>(16, 0.75f, true);

    private record ResolvedKey(Inode dir, FileKey key) {
    }

    private record Resolved(SnapshottedFile file, long at) {
    }

    /**
     * @param local the live export (a {@code LocalFileSystem})
     * @param engine the engine of the same export
     * @param exportRoot the export's real path (what the engine and the local filesystem use)
     * @param device st_dev of the export's filesystem (the engine's inode locks are keyed by it)
     * @param hint optional: where the local filesystem says an object is (may be null)
     */
    public SnapshotView(VirtualFileSystem local, SnapshotEngine engine, Path exportRoot, long device,
                        PathHint hint) throws VfsException {
        this.local = local;
        this.engine = engine;
        this.exportRoot = exportRoot;
        this.device = device;
        Path store = engine.storeDirectory().toAbsolutePath().normalize();
        this.storeName = store.getParent() != null && store.getParent().equals(exportRoot)
                ? store.getFileName().toString() : null;
        this.root = local.root();
        this.paths = new LivePaths(local, exportRoot, PATH_MEMORY, hint);
        this.control = new SnapshotControl(local, engine, paths, bumps);
    }

    @Override
    protected VirtualFileSystem delegate() {
        return local;
    }

    public SnapshotEngine engine() {
        return engine;
    }

    /** Who hears of the snapshot operations clients ask for through the control xattrs (null: nobody). */
    void operationListener(SnapshotOperationListener listener) {
        control.listener(listener);
    }

    /** Closes cached snapshot channels; the engine belongs to whoever opened it. */
    public void closeChannels() {
        synchronized (channels) {
            for (FileChannel c : channels.values()) {
                closeQuietly(c);
            }
            channels.clear();
        }
    }

    // ------------------------------------------------------------------ handles and names

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (!ViewInode.isViewHandle(handle)) {
            return local.inodeOf(handle);
        }
        ViewInode.Decoded d = ViewInode.decode(handle);
        Inode dir = local.inodeOf(d.dirHandle());
        if (dir.type() != FileType.DIRECTORY) {
            throw new VfsException(VfsError.BADHANDLE, "view handle of a non-directory");
        }
        return switch (d.kind()) {
            case ViewInode.KIND_ROOT -> new ViewInode.Root(dir);
            case ViewInode.KIND_FILE -> new ViewInode.File(dir, resolveFile(dir, d.key()));
            default -> {
                SnapshottedFile f = resolveFile(dir, d.key());
                SnapshotInfo info = null;
                for (SnapshotInfo s : engine.list(f.key())) {
                    if (Hashing.nameDigest(s.name()) == d.digest()
                            && ViewInode.createdNanos(s) == d.created()) {
                        info = s;
                        break;
                    }
                }
                if (info == null) {
                    throw new VfsException(VfsError.STALE, "snapshot was deleted");
                }
                yield new ViewInode.Snapshot(dir, f, info);
            }
        };
    }

    /** The entry of D's view for a history, or STALE when it is no longer there. */
    private SnapshottedFile resolveFile(Inode dir, FileKey key) throws VfsException {
        ResolvedKey rk = new ResolvedKey(dir, key);
        Resolved r = resolved.get(rk);
        long now = System.nanoTime();
        if (r != null && now - r.at < RESOLVED_TTL_NANOS && !engine.list(key).isEmpty()) {
            return r.file;
        }
        Path dirPath = paths.pathOf(dir);
        try {
            for (SnapshottedFile f : engine.filesWithSnapshots(dirPath)) {
                if (f.key().equals(key)) {
                    remember(rk, f);
                    return f;
                }
            }
        } catch (SnapshotException e) {
            throw SnapshotErrors.of(e);
        }
        throw new VfsException(VfsError.STALE, "no such history in this directory's view");
    }

    private void remember(ResolvedKey rk, SnapshottedFile f) {
        if (resolved.size() > 10_000) {
            resolved.clear();
        }
        resolved.put(rk, new Resolved(f, System.nanoTime()));
    }

    private boolean isReserved(Inode dir, String name) {
        return VIEW_NAME.equals(name) || (storeName != null && storeName.equals(name) && dir.equals(root));
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        if (dir instanceof ViewInode v) {
            return lookupInView(caller, v, name);
        }
        if (VIEW_NAME.equals(name)) {
            Stat d = local.getattr(dir);
            if (d.type() != FileType.DIRECTORY) {
                throw new VfsException(VfsError.NOTDIR, "not a directory");
            }
            if ((local.access(caller, dir, Access.LOOKUP) & Access.LOOKUP) == 0) {
                throw new VfsException(VfsError.ACCESS, "no search permission");
            }
            return new ViewInode.Root(dir);
        }
        if (storeName != null && storeName.equals(name) && dir.equals(root)) {
            throw new VfsException(VfsError.NOENT, "reserved name");
        }
        Inode child = local.lookup(caller, dir, name);
        paths.visited(dir);
        return child;
    }

    private Inode lookupInView(Caller caller, ViewInode v, String name) throws VfsException {
        requireSearch(caller, v);
        switch (v) {
            case ViewInode.Root r -> {
                SnapshottedFile f = findInView(r.dir, name);
                return new ViewInode.File(r.dir, f);
            }
            case ViewInode.File f -> {
                for (SnapshotInfo s : engine.list(f.key())) {
                    if (s.name().equals(name)) {
                        return new ViewInode.Snapshot(f.dir, f.file, s);
                    }
                }
                throw new VfsException(VfsError.NOENT, "no snapshot " + name);
            }
            case ViewInode.Snapshot s -> throw new VfsException(VfsError.NOTDIR, "a snapshot is a file");
        }
    }

    private SnapshottedFile findInView(Inode dir, String name) throws VfsException {
        Path dirPath = paths.pathOf(dir);
        try {
            if (name.indexOf('@') < 0) {
                // a live file's own name: one xattr read instead of a scan of the directory
                Path live = dirPath.resolve(name);
                Optional<FileKey> key = engine.keyOf(live);
                if (key.isPresent()) {
                    int count = engine.list(key.get()).size();
                    if (count > 0) {
                        SnapshottedFile f = new SnapshottedFile(key.get(), name, Optional.of(live), count);
                        remember(new ResolvedKey(dir, key.get()), f);
                        return f;
                    }
                }
            }
            Optional<SnapshottedFile> f = engine.findInView(dirPath, name);
            if (f.isPresent()) {
                remember(new ResolvedKey(dir, f.get().key()), f.get());
                return f.get();
            }
        } catch (SnapshotException e) {
            throw SnapshotErrors.of(e);
        }
        throw new VfsException(VfsError.NOENT, "no snapshots of " + name);
    }

    private void requireSearch(Caller caller, ViewInode v) throws VfsException {
        if ((VirtualPermissions.bits(caller, permissions(v)) & VirtualPermissions.X) == 0) {
            throw new VfsException(VfsError.ACCESS, "no search permission");
        }
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        return switch (dir) {
            case ViewInode.Root r -> r.dir;
            case ViewInode.File f -> new ViewInode.Root(f.dir);
            case ViewInode.Snapshot s -> throw new VfsException(VfsError.NOTDIR, "not a directory");
            default -> local.parentOf(caller, dir);
        };
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        if (inode instanceof ViewInode v) {
            return virtualStat(v);
        }
        return bumps.apply(inode, local.getattr(inode));
    }

    private Stat virtualStat(ViewInode v) throws VfsException {
        Stat d = local.getattr(v.dir);
        return switch (v) {
            case ViewInode.Root r -> rootStat(d, filesOf(r.dir));
            case ViewInode.File f -> fileStat(d, f.file, ownerOf(d, f.dir, f.file), engine.list(f.key()));
            case ViewInode.Snapshot s -> snapshotStat(d, s.file, ownerOf(d, s.dir, s.file), s.info);
        };
    }

    private List<SnapshottedFile> filesOf(Inode dir) throws VfsException {
        try {
            return engine.filesWithSnapshots(paths.pathOf(dir));
        } catch (SnapshotException e) {
            throw SnapshotErrors.of(e);
        }
    }

    private Stat rootStat(Stat d, List<SnapshottedFile> files) {
        Hashing.Hasher change = Hashing.hasher().add(d.change());
        for (SnapshottedFile f : files) {
            change.add(f.viewName()).add(f.key().id().getMostSignificantBits())
                    .add(f.key().id().getLeastSignificantBits()).add(f.snapshotCount());
        }
        long fileId = Hashing.virtualFileId(Hashing.hasher().add("view").add(d.fileId()).value());
        return new Stat(FileType.DIRECTORY, fileId, d.fsidMajor(), d.fsidMinor(), d.mode() & 0555,
                2, d.uid(), d.gid(), files.size(), 0, change.value(), d.atimeNanos(),
                d.mtimeNanos(), d.ctimeNanos(), d.createTimeNanos(), 0, 0);
    }

    /** Owner, group and mode that govern a history: its live file's, or for an orphan D's owner, 0400. */
    private record Owner(int uid, int gid, int mode) {
    }

    private Owner ownerOf(Stat d, Inode dir, SnapshottedFile f) throws VfsException {
        if (f.liveFile().isPresent()) {
            try {
                Inode live = local.lookup(Caller.root(), dir, f.viewName());
                Stat st = local.getattr(live);
                // the name must still be that history's file: permissions are the live file's
                if (st.type() == FileType.REGULAR
                        && engine.keyOf(paths.pathOf(dir).resolve(f.viewName())).equals(Optional.of(f.key()))) {
                    return new Owner(st.uid(), st.gid(), st.mode() & 07777);
                }
            } catch (SnapshotException e) {
                throw SnapshotErrors.of(e);
            } catch (VfsException e) {
                if (e.error() != VfsError.NOENT && e.error() != VfsError.STALE) {
                    throw e;
                }
                // removed meanwhile: treat it as an orphan
            }
        }
        return new Owner(d.uid(), d.gid(), 0400);
    }

    /** Only what permission checks need (type, mode, owner): no listing of the directory. */
    private Stat permissions(ViewInode v) throws VfsException {
        Stat d = local.getattr(v.dir);
        return switch (v) {
            case ViewInode.Root r -> modeOnly(FileType.DIRECTORY, d.mode() & 0555, d.uid(), d.gid());
            case ViewInode.File f -> {
                Owner o = ownerOf(d, f.dir, f.file);
                yield modeOnly(FileType.DIRECTORY, historyMode(o), o.uid, o.gid);
            }
            case ViewInode.Snapshot s -> {
                Owner o = ownerOf(d, s.dir, s.file);
                yield modeOnly(FileType.REGULAR, o.mode & 0555, o.uid, o.gid);
            }
        };
    }

    private static Stat modeOnly(FileType type, int mode, int uid, int gid) {
        return new Stat(type, 0, 0, 0, mode, 1, uid, gid, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** r-- becomes r-x: reading a history means entering its directory. */
    private static int historyMode(Owner o) {
        int read = o.mode & 0444;
        return read | (read >> 2);
    }

    private Stat fileStat(Stat d, SnapshottedFile f, Owner o, List<SnapshotInfo> snaps) {
        Hashing.Hasher change = Hashing.hasher().add(f.key().id().getMostSignificantBits())
                .add(f.key().id().getLeastSignificantBits());
        long newest = 0;
        long oldest = Long.MAX_VALUE;
        for (SnapshotInfo s : snaps) {
            long created = ViewInode.createdNanos(s);
            change.add(s.name()).add(created);
            newest = Math.max(newest, created);
            oldest = Math.min(oldest, created);
        }
        if (snaps.isEmpty()) {
            newest = d.mtimeNanos();
            oldest = newest;
        }
        int mode = historyMode(o);
        long fileId = Hashing.virtualFileId(Hashing.hasher().add("history")
                .add(f.key().id().getMostSignificantBits()).add(f.key().id().getLeastSignificantBits())
                .value());
        return new Stat(FileType.DIRECTORY, fileId, d.fsidMajor(), d.fsidMinor(), mode, 2, o.uid,
                o.gid, snaps.size(), 0, change.value(), newest, newest, newest, oldest, 0, 0);
    }

    private Stat snapshotStat(Stat d, SnapshottedFile f, Owner o, SnapshotInfo s) {
        long created = ViewInode.createdNanos(s);
        long mtime = s.contentModified().getEpochSecond() * 1_000_000_000L + s.contentModified().getNano();
        long fileId = Hashing.virtualFileId(Hashing.hasher().add("snapshot")
                .add(f.key().id().getMostSignificantBits()).add(f.key().id().getLeastSignificantBits())
                .add(s.name()).add(created).value());
        return new Stat(FileType.REGULAR, fileId, d.fsidMajor(), d.fsidMinor(), o.mode & 0555, 1,
                o.uid, o.gid, s.size(), s.size(), created, created, mtime, created, created, 0, 0);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException {
        if (inode instanceof ViewInode) {
            throw readOnly();
        }
        if (change.size() == null) {
            return bumps.apply(inode, local.setattr(caller, inode, change));
        }
        try (FileLocks.Lease lease = sharedLock(inode)) {
            return bumps.apply(inode, local.setattr(caller, inode, change));
        }
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        if (inode instanceof ViewInode v) {
            return VirtualPermissions.readOnlyAccess(caller, permissions(v), requested,
                    !(v instanceof ViewInode.Snapshot));
        }
        return local.access(caller, inode, requested);
    }

    // ------------------------------------------------------------------ namespace changes

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        if (dir instanceof ViewInode) {
            throw readOnly();
        }
        if (isReserved(dir, name)) {
            throw new VfsException(VfsError.EXIST, "reserved name " + name);
        }
        Inode made = local.create(caller, dir, name, type, attrs, linkTarget);
        paths.learn(made, dir, name);
        return made;
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        if (dir instanceof ViewInode || target instanceof ViewInode) {
            throw readOnly();
        }
        if (isReserved(dir, name)) {
            throw new VfsException(VfsError.EXIST, "reserved name " + name);
        }
        local.link(caller, target, dir, name);
        paths.learn(target, dir, name);
        afterMove(dir, name);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        if (dir instanceof ViewInode) {
            throw readOnly();
        }
        if (VIEW_NAME.equals(name)) {
            throw readOnly();
        }
        Victim victim = victimAt(dir, name);
        local.remove(caller, dir, name);
        afterRemoval(victim);
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        if (fromDir instanceof ViewInode || toDir instanceof ViewInode || VIEW_NAME.equals(fromName)) {
            throw readOnly();
        }
        if (isReserved(toDir, toName)) {
            throw new VfsException(VfsError.EXIST, "reserved name " + toName);
        }
        Victim victim = victimAt(toDir, toName);
        Inode moved;
        try {
            moved = local.lookup(Caller.root(), fromDir, fromName);
        } catch (VfsException e) {
            moved = null; // the rename itself reports what is wrong
        }
        local.rename(caller, fromDir, fromName, toDir, toName);
        if (moved != null) {
            paths.learn(moved, toDir, toName);
        }
        if (victim != null && !victim.inode.equals(moved)) {
            afterRemoval(victim);
        }
        afterMove(toDir, toName);
    }

    /** A file about to lose a name, with its snapshot identity if it has one. */
    private record Victim(Inode inode, Path path, FileKey key, int nlink) {
    }

    private Victim victimAt(Inode dir, String name) throws VfsException {
        Inode target;
        Stat st;
        try {
            target = local.lookup(Caller.root(), dir, name);
            st = local.getattr(target);
        } catch (VfsException e) {
            return null; // let the real operation report it
        }
        if (st.type() != FileType.REGULAR) {
            return new Victim(target, null, null, st.nlink());
        }
        try {
            Path path = paths.pathOf(dir).resolve(name);
            Optional<FileKey> key = engine.keyOf(path);
            return new Victim(target, path, key.orElse(null), st.nlink());
        } catch (SnapshotException | VfsException e) {
            LOG.warn("cannot tell whether {} has snapshots: {}", name, e.getMessage());
            return new Victim(target, null, null, st.nlink());
        }
    }

    private void afterRemoval(Victim victim) {
        if (victim == null) {
            return;
        }
        if (victim.nlink <= 1) {
            paths.forget(victim.inode);
            inodeNumbers.remove(victim.inode);
        }
        if (victim.key == null) {
            return;
        }
        try {
            engine.liveFileRemoved(victim.key, victim.path, Math.max(0, victim.nlink - 1));
        } catch (SnapshotException e) {
            LOG.warn("could not record the removal of {} with the snapshot engine: {}", victim.path,
                    e.getMessage());
        }
    }

    private void afterMove(Inode dir, String name) {
        try {
            Path path = paths.pathOf(dir).resolve(name);
            Optional<FileKey> key = engine.keyOf(path);
            if (key.isPresent()) {
                engine.liveFileMoved(key.get(), path);
            }
        } catch (SnapshotException | VfsException e) {
            LOG.warn("could not record the new name {} with the snapshot engine: {}", name, e.getMessage());
        }
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        if (link instanceof ViewInode) {
            throw new VfsException(VfsError.WRONG_TYPE, "not a symlink");
        }
        return local.readlink(caller, link);
    }

    // ------------------------------------------------------------------ listing

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        if (dir instanceof ViewInode v) {
            return listView(caller, v, cookie, maxEntries);
        }
        boolean atRoot = storeName != null && dir.equals(root);
        long from = cookie;
        for (int round = 0; ; round++) {
            DirectoryPage page = local.list(caller, dir, from, maxEntries);
            // Entries are not remembered one by one (that would cost READDIR a map update per
            // entry); the directory is, so the rare snapshot command on a file known only from a
            // listing can find its name there (LivePaths).
            paths.visited(dir);
            List<DirectoryEntry> entries = page.entries();
            boolean anyBumps = bumps.any();
            int first = 0;
            while (first < entries.size() && !special(entries.get(first), atRoot, anyBumps)) {
                first++;
            }
            if (first == entries.size()) {
                return page; // the common case: nothing hidden, nothing to adjust
            }
            List<DirectoryEntry> shown = new ArrayList<>(entries.subList(0, first));
            for (int i = first; i < entries.size(); i++) {
                DirectoryEntry e = entries.get(i);
                if (VIEW_NAME.equals(e.name()) || (atRoot && storeName.equals(e.name()))) {
                    continue;
                }
                Stat bumped = anyBumps ? bumps.apply(e.inode(), e.stat()) : e.stat();
                shown.add(bumped == e.stat() ? e : new DirectoryEntry(e.name(), e.cookie(), e.inode(), bumped));
            }
            if (!shown.isEmpty() || page.eof() || entries.isEmpty() || round > 8) {
                // never an empty page that is not the end: a client would ask again forever
                return new DirectoryPage(shown, page.verifier(), page.eof());
            }
            from = entries.get(entries.size() - 1).cookie();
        }
    }

    /** Whether a listed entry must be hidden or shown with other attributes. */
    private boolean special(DirectoryEntry e, boolean atRoot, boolean anyBumps) {
        return VIEW_NAME.equals(e.name()) || (atRoot && storeName.equals(e.name()))
                || (anyBumps && bumps.apply(e.inode(), e.stat()) != e.stat());
    }

    private DirectoryPage listView(Caller caller, ViewInode v, long cookie, int maxEntries)
            throws VfsException {
        if (!VirtualPermissions.mayRead(caller, permissions(v))) {
            throw new VfsException(VfsError.ACCESS, "no read permission");
        }
        Stat d = local.getattr(v.dir);
        List<DirectoryEntry> all = new ArrayList<>();
        switch (v) {
            case ViewInode.Root r -> {
                for (SnapshottedFile f : filesOf(r.dir)) {
                    ViewInode.File child = new ViewInode.File(r.dir, f);
                    all.add(new DirectoryEntry(f.viewName(), Hashing.cookieOf(f.viewName()), child,
                            fileStat(d, f, ownerOf(d, r.dir, f), engine.list(f.key()))));
                }
            }
            case ViewInode.File f -> {
                Owner o = ownerOf(d, f.dir, f.file);
                for (SnapshotInfo s : engine.list(f.key())) {
                    all.add(new DirectoryEntry(s.name(), Hashing.cookieOf(s.name()),
                            new ViewInode.Snapshot(f.dir, f.file, s), snapshotStat(d, f.file, o, s)));
                }
            }
            case ViewInode.Snapshot s -> throw new VfsException(VfsError.NOTDIR, "not a directory");
        }
        all.sort(Comparator.comparingLong(DirectoryEntry::cookie));
        List<DirectoryEntry> page = new ArrayList<>();
        int i = 0;
        while (i < all.size() && all.get(i).cookie() <= cookie) {
            i++;
        }
        while (i < all.size() && page.size() < maxEntries) {
            page.add(all.get(i++));
        }
        return new DirectoryPage(page, 1, i >= all.size());
    }

    // ------------------------------------------------------------------ data

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        if (!(file instanceof ViewInode v)) {
            return local.read(caller, file, dst, offset);
        }
        ViewInode.Snapshot s = readable(caller, v, offset);
        if (offset >= s.info.size()) {
            return -1;
        }
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = channel(s);
            try {
                return ch.read(dst, offset);
            } catch (ClosedChannelException e) {
                dropChannel(s, ch);
                if (attempt > 2) {
                    throw new VfsException(VfsError.IO, "snapshot channel closed", e);
                }
            } catch (IOException e) {
                throw new VfsException(VfsError.IO, "reading snapshot " + s.info.name() + ": " + e, e);
            }
        }
    }

    /** Snapshot bytes are lent as the live files' are: mapped, not copied. */
    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        if (!(file instanceof ViewInode v)) {
            return local.readView(caller, file, offset, count);
        }
        ViewInode.Snapshot s = readable(caller, v, offset);
        long left = s.info.size() - offset;
        if (count < FileView.MIN_LENGTH || left < FileView.MIN_LENGTH) {
            return null;
        }
        int length = (int) Math.min(count, left);
        Path content;
        try {
            content = engine.snapshotContent(s.key(), s.info.name());
        } catch (SnapshotException e) {
            return null; // deleted meanwhile: the copying read says so
        }
        return MappedRegion.ofImmutableFile(content, offset, length, length == left);
    }

    /** A snapshot the caller may read from {@code offset}. */
    private ViewInode.Snapshot readable(Caller caller, ViewInode v, long offset) throws VfsException {
        if (!(v instanceof ViewInode.Snapshot s)) {
            throw new VfsException(VfsError.ISDIR, "a directory");
        }
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        if (!VirtualPermissions.mayRead(caller, permissions(s))) {
            throw new VfsException(VfsError.ACCESS, "no read permission");
        }
        return s;
    }

    private static String channelKey(ViewInode.Snapshot s) {
        return s.key() + "/" + ViewInode.createdNanos(s.info) + "/" + s.info.name();
    }

    private FileChannel channel(ViewInode.Snapshot s) throws VfsException {
        String k = channelKey(s);
        synchronized (channels) {
            FileChannel c = channels.get(k);
            if (c != null && c.isOpen()) {
                return c;
            }
        }
        FileChannel opened;
        try {
            opened = engine.openSnapshot(s.key(), s.info.name());
        } catch (SnapshotException e) {
            VfsException v = SnapshotErrors.of(e);
            throw v.error() == VfsError.NOXATTR ? new VfsException(VfsError.STALE, "snapshot deleted") : v;
        }
        synchronized (channels) {
            FileChannel raced = channels.get(k);
            if (raced != null && raced.isOpen()) {
                closeQuietly(opened);
                return raced;
            }
            channels.put(k, opened);
            if (channels.size() > OPEN_SNAPSHOTS) {
                var it = channels.entrySet().iterator();
                Map.Entry<String, FileChannel> eldest = it.next();
                it.remove();
                // a reader still using it gets ClosedChannelException and reopens
                closeQuietly(eldest.getValue());
            }
            return opened;
        }
    }

    private void dropChannel(ViewInode.Snapshot s, FileChannel ch) {
        synchronized (channels) {
            channels.remove(channelKey(s), ch);
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        if (file instanceof ViewInode) {
            throw readOnly();
        }
        try (FileLocks.Lease lease = sharedLock(file)) {
            return local.write(caller, file, src, offset, requested);
        }
    }

    /** The engine's inode lock, shared: writes exclude snapshot operations, not each other. */
    private FileLocks.Lease sharedLock(Inode file) throws VfsException {
        Long ino = inodeNumbers.get(file);
        if (ino == null) {
            ino = local.getattr(file).fileId();
            if (inodeNumbers.size() >= MAX_INO_CACHE) {
                inodeNumbers.clear();
            }
            inodeNumbers.put(file, ino);
        }
        return engine.locks().shared(new LockKey.Inode(device, ino));
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        if (file instanceof ViewInode) {
            return; // nothing was ever written
        }
        local.commit(file, offset, count);
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        return local.fsStat(inode instanceof ViewInode v ? v.dir : inode);
    }

    // ------------------------------------------------------------------ xattrs

    /**
     * Virtual objects say yes: they have no attributes (LISTXATTRS is empty, GETXATTR NOXATTR)
     * and setting one is ROFS. Saying no would make clients refuse locally with EACCES or
     * EOPNOTSUPP, instead of showing that the view is read-only.
     */
    @Override
    public boolean xattrSupported(Inode inode) throws VfsException {
        return inode instanceof ViewInode || local.xattrSupported(inode);
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        if (inode instanceof ViewInode) {
            throw new VfsException(VfsError.NOXATTR, "snapshots carry no extended attributes");
        }
        if (SnapshotControl.isControlName(name)) {
            return control.get(caller, inode, name);
        }
        return local.getXattr(caller, inode, name);
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        if (inode instanceof ViewInode) {
            throw readOnly();
        }
        if (SnapshotControl.isControlName(name)) {
            control.set(caller, inode, name, value);
            return;
        }
        local.setXattr(caller, inode, name, value, mode);
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        if (inode instanceof ViewInode) {
            return List.of();
        }
        List<String> names = local.listXattrs(caller, inode);
        for (String n : names) {
            if (SnapshotControl.isControlName(n)) {
                List<String> shown = new ArrayList<>(names.size());
                for (String m : names) {
                    if (!SnapshotControl.isControlName(m)) {
                        shown.add(m);
                    }
                }
                return shown;
            }
        }
        return names;
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        if (inode instanceof ViewInode) {
            throw readOnly();
        }
        if (SnapshotControl.isControlName(name)) {
            throw new VfsException(VfsError.INVAL, name + " is a snapshot control, not an attribute");
        }
        local.removeXattr(caller, inode, name);
    }

    private static VfsException readOnly() {
        return new VfsException(VfsError.ROFS, "snapshots are read-only");
    }
}
