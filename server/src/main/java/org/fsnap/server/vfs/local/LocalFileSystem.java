package org.fsnap.server.vfs.local;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.fsnap.server.vfs.local.PermissionChecker.R;
import static org.fsnap.server.vfs.local.PermissionChecker.W;
import static org.fsnap.server.vfs.local.PermissionChecker.X;

/**
 * The export directory on a local Linux filesystem (ext4, XFS, btrfs, tmpfs...).
 *
 * <p>Objects are reached through descriptors, never through paths: a handle is the kernel's
 * own file handle ({@link NativeFileHandles}), and every change is a *at() call relative to a
 * directory descriptor with a single-component name. So renames never invalidate handles,
 * handles survive restarts, and no symlink or ".." is ever followed out of the export.
 *
 * <p>The server runs as root and checks each caller's permissions itself
 * ({@link PermissionChecker}) before acting.
 */
public final class LocalFileSystem implements VirtualFileSystem, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFileSystem.class);

    private static final int IO_CACHE_CAPACITY = 256;
    private static final long IO_IDLE_SECONDS = 30;
    /** Idle O_PATH descriptors go too: one may pin a file deleted behind our back. */
    private static final long PATH_IDLE_SECONDS = 120;

    private final Path root;
    private final NativeFileHandles handles;
    private final OpenFileCache io;
    private final LocalCreator creator;
    private final FileData data = new FileData();
    private final LocalDirectoryLister lister;
    private final LocalXattrs xattrs;
    private final long fsid;
    private final long cookieVerifier;
    private final ScheduledExecutorService sweeper;

    public LocalFileSystem(Path exportRoot) throws IOException {
        this(exportRoot, Set.of());
    }

    /**
     * @param exportRoot the directory to serve
     * @param hiddenRootNames names in the export root reserved for the server (such as the
     *     snapshot store): never listed, never looked up (NOENT), never created or renamed onto
     *     (EXIST); handles of objects inside them are STALE
     * @throws IOException when the export is missing, or its filesystem cannot give file
     *     handles (then persistent handles are impossible and the server must not start)
     */
    public LocalFileSystem(Path exportRoot, Set<String> hiddenRootNames) throws IOException {
        this.root = exportRoot.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        for (String h : hiddenRootNames) {
            try {
                Names.check(h);
            } catch (VfsException e) {
                throw new IllegalArgumentException("hidden name '" + h + "': " + e.getMessage());
            }
        }
        this.io = new OpenFileCache(IO_CACHE_CAPACITY);
        this.handles = new NativeFileHandles(root, hiddenRootNames, io::invalidate);
        ExportIdentity identity = handles.identity();
        this.fsid = identity.fsid();
        this.cookieVerifier = identity.cookieSeed() | 1;
        this.creator = new LocalCreator(handles, io);
        this.lister = new LocalDirectoryLister(identity.cookieSeed());
        this.xattrs = new LocalXattrs(LocalXattrs.probe(handles.rootFd()));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fsnap-localfs-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
        LOG.info("serving {} (fs type 0x{}, kernel handles of {} bytes, user xattrs {})", root,
                Long.toHexString(handles.statFs().type()), handles.kernelHandleBytes(),
                xattrs.supported() ? "on" : "off");
    }

    private void sweep() {
        try {
            io.evictIdle(IO_IDLE_SECONDS, TimeUnit.SECONDS);
            handles.evictIdle(TimeUnit.SECONDS.toNanos(PATH_IDLE_SECONDS));
        } catch (RuntimeException e) {
            LOG.warn("descriptor sweep failed", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        io.clear();
        handles.close();
    }

    public Path exportRoot() {
        return root;
    }

    private LocalNode node(Inode inode) throws VfsException {
        return handles.node(inode);
    }

    private static void requireDirectory(Statx st) throws VfsException {
        if (!st.isDirectory()) {
            throw new VfsException(st.isSymlink() ? VfsError.SYMLINK : VfsError.NOTDIR,
                    "not a directory");
        }
    }

    /** RFC 8881 READ/WRITE/COMMIT: ISDIR for a directory, SYMLINK for a link, else WRONG_TYPE. */
    private static void requireRegular(Statx st) throws VfsException {
        if (!st.isRegular()) {
            throw new VfsException(st.isDirectory() ? VfsError.ISDIR
                    : st.isSymlink() ? VfsError.SYMLINK : VfsError.WRONG_TYPE,
                    "not a regular file");
        }
    }

    private static Statx statAt(int dirFd, String name) throws ErrnoException {
        return Libc.statx(dirFd, name, Libc.AT_SYMLINK_NOFOLLOW, Statx.STATX_WANTED);
    }

    /** statx of dir/name, or null when there is no such entry. */
    private static Statx statAtOrNull(int dirFd, String name) throws ErrnoException {
        try {
            return statAt(dirFd, name);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) {
                return null;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ names

    @Override
    public Inode root() {
        return handles.rootInode();
    }

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (handle == null || handle.length == 0 || handle.length > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.BADHANDLE, "bad handle length");
        }
        HandleKey key = new HandleKey(handle.clone());
        try (LocalNode n = handles.node(key)) {
            return new LocalInode(key, n.st.type(), handles);
        }
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        Names.check(name);
        try (LocalNode d = node(dir)) {
            requireDirectory(d.st);
            PermissionChecker.require(caller, d.st, X, "no search permission");
            if (handles.isHidden(d, name)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            return handles.lookup(d.fd, name);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        try (LocalNode d = node(dir)) {
            requireDirectory(d.st);
            if (handles.isRoot(d.st)) {
                throw new VfsException(VfsError.NOENT, "the export root has no parent");
            }
            PermissionChecker.require(caller, d.st, X, "no search permission");
            // ".." of a directory descriptor is its real parent, found without any path walk
            int fd = Libc.openat(d.fd, "..", Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            Statx st;
            try {
                st = Libc.fstatx(fd);
                handles.checkInsideExport(fd, st);
            } catch (ErrnoException | VfsException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
            return handles.adopt(fd, st);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        try (LocalNode n = node(inode)) {
            return n.st.toStat(fsid, 0);
        }
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes ch) throws VfsException {
        try (LocalNode n = node(inode)) {
            Statx st = n.st;
            if (ch.size() != null) {
                if (st.isDirectory()) {
                    throw new VfsException(VfsError.ISDIR, "size of a directory");
                }
                if (!st.isRegular()) {
                    throw new VfsException(VfsError.INVAL, "size of a special file");
                }
                if (ch.size() < 0) {
                    throw new VfsException(VfsError.INVAL, "negative size");
                }
            }
            PermissionChecker.checkSetattr(caller, st, ch);
            String proc = Libc.procPath(n.fd); // path calls through it reach exactly this object
            if (ch.size() != null) {
                try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                    requireWritable(f.value());
                    Libc.ftruncate(f.value().fd(), ch.size());
                }
                int killed = ch.mode() == null ? PermissionChecker.modeAfterWrite(caller, st) : -1;
                if (killed >= 0) {
                    Libc.chmod(proc, killed);
                }
            }
            boolean newUid = ch.uid() != null && ch.uid() != st.uid();
            boolean newGid = ch.gid() != null && ch.gid() != st.gid();
            if (newUid || newGid) {
                // the kernel itself drops setuid/setgid of a non-directory on chown
                Libc.fchownat(n.fd, "", newUid ? ch.uid() : -1, newGid ? ch.gid() : -1,
                        Libc.AT_EMPTY_PATH);
            }
            if (ch.mode() != null && !st.isSymlink()) { // Linux symlinks have no mode of their own
                int gid = newGid ? ch.gid() : st.gid();
                Libc.chmod(proc, PermissionChecker.chmodMode(caller, ch.mode(), gid));
            }
            LocalCreator.applyTimes(n.fd, ch);
            return Libc.fstatx(n.fd).toStat(fsid, 0);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        try (LocalNode n = node(inode)) {
            return PermissionChecker.access(caller, n.st, requested,
                    xattrs.supported() && canHoldXattrs(n.st));
        }
    }

    // ------------------------------------------------------------------ namespace changes

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        Names.check(name);
        try (LocalNode d = node(dir)) {
            requireDirectory(d.st);
            if (handles.isHidden(d, name)) {
                throw new VfsException(VfsError.EXIST, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, d.st);
            return creator.create(caller, d, name, type, attrs == null ? SetAttributes.NONE : attrs,
                    linkTarget);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        Names.check(name);
        try (LocalNode t = node(target); LocalNode d = node(dir)) {
            if (t.st.isDirectory()) {
                throw new VfsException(VfsError.ISDIR, "hard link to a directory");
            }
            requireDirectory(d.st);
            if (handles.isHidden(d, name)) {
                throw new VfsException(VfsError.EXIST, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, d.st);
            PermissionChecker.checkHardLink(caller, t.st);
            Libc.linkat(t.fd, "", d.fd, name, Libc.AT_EMPTY_PATH);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        Names.check(name);
        try (LocalNode d = node(dir)) {
            requireDirectory(d.st);
            if (handles.isHidden(d, name)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, d.st);
            Statx victim = statAt(d.fd, name);
            PermissionChecker.checkSticky(caller, d.st, victim);
            HandleKey victimKey = handles.keyAt(d.fd, name);
            try {
                Libc.unlinkat(d.fd, name, victim.isDirectory() ? Libc.AT_REMOVEDIR : 0);
            } catch (ErrnoException e) {
                if (e.is(Errno.ENOTEMPTY) || (e.is(Errno.EEXIST) && victim.isDirectory())) {
                    throw new VfsException(VfsError.NOTEMPTY, "directory not empty");
                }
                throw e;
            }
            if (victim.isDirectory() || victim.nlink() <= 1) {
                handles.forget(victimKey);
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        Names.check(fromName);
        Names.check(toName);
        try (LocalNode from = node(fromDir); LocalNode to = node(toDir)) {
            requireDirectory(from.st);
            requireDirectory(to.st);
            if (handles.isHidden(from, fromName)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            if (handles.isHidden(to, toName)) {
                throw new VfsException(VfsError.EXIST, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, from.st);
            PermissionChecker.requireDirWrite(caller, to.st);
            Statx src = statAt(from.fd, fromName);
            PermissionChecker.checkSticky(caller, from.st, src);
            Statx dst = statAtOrNull(to.fd, toName);
            if (dst != null) {
                if (dst.sameObject(src)) {
                    return; // POSIX and RFC 8881: two links to one file, nothing to do
                }
                PermissionChecker.checkSticky(caller, to.st, dst);
                if (src.isDirectory() != dst.isDirectory()) {
                    throw new VfsException(VfsError.EXIST, "rename between a directory and a file");
                }
            }
            if (src.isDirectory() && !from.st.sameObject(to.st)) {
                // moving a directory rewrites its ".." entry: Linux wants write on it too
                PermissionChecker.require(caller, src, W, "no write permission on the directory moved");
            }
            HandleKey victimKey = dst != null ? handles.keyAt(to.fd, toName) : null;
            try {
                Libc.renameat(from.fd, fromName, to.fd, toName);
            } catch (ErrnoException e) {
                switch (e.errno()) {
                    // RFC 8881 RENAME: an incompatible or non-empty target is EXIST
                    case Errno.ENOTEMPTY, Errno.EEXIST, Errno.ENOTDIR, Errno.EISDIR ->
                            throw new VfsException(VfsError.EXIST, "target cannot be replaced");
                    default -> throw e;
                }
            }
            if (dst != null && (dst.isDirectory() || dst.nlink() <= 1)) {
                handles.forget(victimKey);
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        try (LocalNode n = node(link)) {
            if (!n.st.isSymlink()) {
                throw new VfsException(VfsError.WRONG_TYPE, "not a symlink"); // RFC 8881 18.24
            }
            return new String(Libc.readlinkat(n.fd, ""), StandardCharsets.UTF_8);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        try (LocalNode d = node(dir)) {
            requireDirectory(d.st);
            PermissionChecker.require(caller, d.st, R | X, "no read and search permission");
            LocalDirectoryLister.Snapshot s = lister.snapshot(d.key, d.fd, d.st,
                    handles.hiddenIn(d));
            int i = s.indexAfter(cookie);
            List<DirectoryEntry> entries = new ArrayList<>(Math.max(0, Math.min(maxEntries,
                    s.size() - i)));
            while (i < s.size() && entries.size() < maxEntries) {
                DirectoryEntry e = entry(d.fd, s.names()[i], s.cookies()[i]);
                if (e != null) {
                    entries.add(e);
                }
                i++;
            }
            return new DirectoryPage(entries, cookieVerifier, i >= s.size());
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    /** One READDIR entry with its handle and attributes; null when it vanished meanwhile. */
    private DirectoryEntry entry(int dirFd, String name, long cookie) throws ErrnoException {
        try {
            Statx st = statAt(dirFd, name);
            LocalInode inode = handles.entry(dirFd, name, st);
            return inode == null ? null
                    : new DirectoryEntry(name, cookie, inode, st.toStat(fsid, 0));
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) {
                return null;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ data

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        try (LocalNode n = readable(caller, file, offset)) {
            if (!dst.hasRemaining()) {
                return 0;
            }
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                long got = data.read(f.value().fd(), dst, offset);
                return got == 0 ? -1 : (int) got;
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    /** The file's pages from {@code offset}, mapped ({@link MappedRegion}). */
    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        try (LocalNode n = readable(caller, file, offset)) {
            long left = n.st.size() - offset;
            if (count < FileView.MIN_LENGTH || left < FileView.MIN_LENGTH) {
                return null;
            }
            int length = (int) Math.min(count, left);
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                return MappedRegion.map(f.value().fd(), offset, length, length == left);
            } catch (ErrnoException e) {
                // A file system that cannot map (or no address space left): read() copies.
                LOG.debug("no mapping of {} bytes at {}: {}", length, offset, e.getMessage());
                return null;
            }
        }
    }

    /** A regular file the caller may read from {@code offset}. */
    private LocalNode readable(Caller caller, Inode file, long offset) throws VfsException {
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        LocalNode n = node(file);
        try {
            requireRegular(n.st);
            if (!PermissionChecker.mayReadData(caller, n.st)) {
                throw new VfsException(VfsError.ACCESS, "no read permission");
            }
            return n;
        } catch (VfsException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        try (LocalNode n = node(file)) {
            requireRegular(n.st);
            if (!PermissionChecker.mayWriteData(caller, n.st)) {
                throw new VfsException(VfsError.ACCESS, "no write permission");
            }
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                requireWritable(f.value());
                int fd = f.value().fd();
                data.write(fd, src, offset);
                int killed = PermissionChecker.modeAfterWrite(caller, n.st);
                if (killed >= 0) {
                    Libc.chmod(Libc.procPath(n.fd), killed);
                }
                Stability s = requested == null ? Stability.UNSTABLE : requested;
                switch (s) {
                    case DATA_SYNC -> Libc.fsync(fd, true);
                    case FILE_SYNC -> Libc.fsync(fd, false);
                    case UNSTABLE -> { }
                }
                return s;
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    private static void requireWritable(OpenFileCache.IoFd f) throws ErrnoException {
        if (!f.writable()) {
            throw new ErrnoException("open for writing", f.writeErrno());
        }
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        try (LocalNode n = node(file)) {
            requireRegular(n.st);
            // any descriptor of the file flushes all of its dirty pages
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                Libc.fsync(f.value().fd(), false);
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        try (LocalNode n = node(inode)) {
            Libc.StatFs s = Libc.fstatfs(n.fd);
            long unit = s.unit();
            return new FsStat(s.blocks() * unit, s.freeBlocks() * unit, s.availBlocks() * unit,
                    s.files(), s.freeFiles(), s.freeFiles());
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    // ------------------------------------------------------------------ xattrs

    private static boolean canHoldXattrs(Statx st) {
        return st.isRegular() || st.isDirectory(); // Linux: user.* only on files and directories
    }

    @Override
    public boolean xattrSupported(Inode inode) throws VfsException {
        try (LocalNode n = node(inode)) {
            return xattrs.supported() && canHoldXattrs(n.st);
        }
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        try (LocalNode n = node(inode)) {
            LocalXattrs.fullName(name);
            if (!canHoldXattrs(n.st)) {
                throw new VfsException(VfsError.NOXATTR, "no xattrs on this type"); // Linux: ENODATA
            }
            PermissionChecker.require(caller, n.st, R, "no read permission");
            return xattrs.get(n.fd, name);
        }
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        try (LocalNode n = node(inode)) {
            LocalXattrs.fullName(name);
            if (!canHoldXattrs(n.st)) {
                throw new VfsException(VfsError.PERM, "no xattrs on this type"); // Linux: EPERM
            }
            checkXattrWrite(caller, n.st);
            xattrs.set(n.fd, name, value == null ? new byte[0] : value,
                    mode == null ? XattrSetMode.EITHER : mode);
        }
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        try (LocalNode n = node(inode)) {
            if (!canHoldXattrs(n.st)) {
                return List.of();
            }
            PermissionChecker.require(caller, n.st, R, "no read permission");
            return xattrs.list(n.fd);
        }
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        try (LocalNode n = node(inode)) {
            LocalXattrs.fullName(name);
            if (!canHoldXattrs(n.st)) {
                throw new VfsException(VfsError.PERM, "no xattrs on this type");
            }
            checkXattrWrite(caller, n.st);
            xattrs.remove(n.fd, name);
        }
    }

    private static void checkXattrWrite(Caller caller, Statx st) throws VfsException {
        if (!PermissionChecker.xattrWriteAllowedOnSticky(caller, st)) {
            throw new VfsException(VfsError.PERM, "xattrs of a sticky directory: owner only");
        }
        PermissionChecker.require(caller, st, W, "no write permission");
    }

    // ------------------------------------------------------------------ for layers above

    /**
     * The absolute path at which the kernel now sees the object, for layers that need paths
     * (usable as the snapshot view's PathHint: {@code local::pathOf}). Empty when the kernel
     * cannot place it: a file whose dentry is disconnected (after a cache drop, before any
     * lookup reached it), or one moved outside the export.
     */
    public Optional<Path> pathOf(Inode inode) throws VfsException {
        try (LocalNode n = node(inode)) {
            return handles.pathOf(n);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    // ------------------------------------------------------------------ for tests

    /** Drops every cached descriptor, as a restart would. */
    void dropCaches() {
        io.clear();
        handles.clear();
    }
}
