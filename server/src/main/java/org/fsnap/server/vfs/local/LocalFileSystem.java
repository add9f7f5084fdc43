package org.fsnap.server.vfs.local;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.foreign.MemorySegment;
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
 * <p>Every object is reached through a descriptor, never through a path: a handle is the
 * kernel's own file handle (name_to_handle_at) wrapped with a MAC, turned back into an O_PATH
 * descriptor with open_by_handle_at, and every change is a *at() call relative to a directory
 * descriptor with a single-component name. So renames never invalidate handles, a handle
 * survives restarts, and no symlink or ".." is ever followed out of the export. Descriptors
 * are cached per handle; a deleted object (no links left) answers STALE.
 *
 * <p>The server runs as root and checks the caller's permissions itself
 * ({@link PermissionChecker}); new objects are then given to the caller with fchown/fchmod so
 * neither root's ownership nor the process umask leaks through.
 */
public final class LocalFileSystem implements VirtualFileSystem, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFileSystem.class);

    private static final int IO_CACHE_CAPACITY = 256;
    private static final long IO_IDLE_SECONDS = 30;
    private static final long PATH_IDLE_SECONDS = 120;
    private static final int DEFAULT_FILE_MODE = 0644;
    private static final int DEFAULT_DIR_MODE = 0755;

    private final Path root;
    private final String rootPath;
    private final Set<String> hidden;
    private final int rootFd;
    private final Statx rootStat;
    private final int rootMountId;
    private final ExportIdentity identity;
    private final HandleCodec codec;
    private final LocalInode rootInode;
    private final long fsid;
    private final long cookieVerifier;
    private final LeaseCache<HandleKey, Integer> fds;
    private final OpenFileCache io;
    private final LocalDirectoryLister lister;
    private final LocalXattrs xattrs;
    private final NativeBuffers buffers = new NativeBuffers();
    private final ScheduledExecutorService sweeper;

    public LocalFileSystem(Path exportRoot) throws IOException {
        this(exportRoot, Set.of());
    }

    /**
     * @param exportRoot the directory to serve
     * @param hiddenRootNames names in the export root reserved for the server (such as the
     *     snapshot store): never listed, never looked up, never created or renamed onto, and
     *     handles of objects inside them are STALE
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
        this.hidden = Set.copyOf(hiddenRootNames);
        this.rootPath = root.toString();
        this.rootFd = Libc.openat(Libc.AT_FDCWD, rootPath, Libc.O_RDONLY | Libc.O_DIRECTORY, 0);
        boolean ok = false;
        try {
            Libc.KernelHandle rh;
            try {
                rh = Libc.nameToHandleAt(rootFd, "", Libc.AT_EMPTY_PATH,
                        HandleCodec.MAX_KERNEL_BYTES);
            } catch (ErrnoException e) {
                throw new IOException(switch (e.errno()) {
                    case Errno.EOPNOTSUPP -> "the filesystem of " + root
                            + " cannot give file handles (name_to_handle_at unsupported)";
                    case Errno.EOVERFLOW -> "the filesystem of " + root
                            + " gives file handles larger than " + HandleCodec.MAX_KERNEL_BYTES
                            + " bytes";
                    default -> "name_to_handle_at on " + root + ": " + e.getMessage();
                }, e);
            }
            this.rootMountId = rh.mountId();
            this.rootStat = Libc.fstatx(rootFd);
            try {
                Libc.close(Libc.openByHandleAt(rootFd, rh.type(), rh.bytes(),
                        Libc.O_PATH | Libc.O_NOFOLLOW));
            } catch (ErrnoException e) {
                throw new IOException("open_by_handle_at on " + root + " fails (" + e.getMessage()
                        + "): the server needs CAP_DAC_READ_SEARCH (run it as root)", e);
            }
            Libc.StatFs statFs = Libc.fstatfs(rootFd);
            this.identity = ExportIdentity.load(rootFd, rh, statFs);
            this.codec = new HandleCodec(identity);
            this.fsid = identity.fsid();
            this.cookieVerifier = identity.cookieSeed() | 1;
            this.rootInode = new LocalInode(new HandleKey(codec.encode(rh)), FileType.DIRECTORY,
                    this);
            this.fds = new LeaseCache<>(pathCacheCapacity(), Libc::close);
            this.io = new OpenFileCache(IO_CACHE_CAPACITY);
            this.lister = new LocalDirectoryLister(identity.cookieSeed());
            this.xattrs = new LocalXattrs(LocalXattrs.probe(rootFd));
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fsnap-localfs-sweeper");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
            LOG.info("serving {} (fs type {}, kernel handles of {} bytes, xattrs {})", root,
                    Long.toHexString(statFs.type()), rh.bytes().length,
                    xattrs.supported() ? "on" : "off");
            ok = true;
        } finally {
            if (!ok) {
                Libc.close(rootFd);
            }
        }
    }

    /** O_PATH descriptors kept: plenty for hot files, and well within the fd limit. */
    private static int pathCacheCapacity() {
        long max = 4096 * 4;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            max = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.max(256, Math.min(4096, max / 4));
    }

    private void sweep() {
        try {
            io.evictIdle(IO_IDLE_SECONDS, TimeUnit.SECONDS);
            fds.evictIdle(TimeUnit.SECONDS.toNanos(PATH_IDLE_SECONDS));
        } catch (RuntimeException e) {
            LOG.warn("descriptor sweep failed", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        io.clear();
        fds.clear();
        Libc.close(rootFd);
    }

    public Path exportRoot() {
        return root;
    }

    // ------------------------------------------------------------------ resolution

    /** An object being worked on: its descriptor (borrowed from the cache) and fresh stat. */
    private static final class Node implements AutoCloseable {
        final HandleKey key;
        final LeaseCache<HandleKey, Integer>.Lease lease;
        final int fd;
        final Statx st;

        Node(HandleKey key, LeaseCache<HandleKey, Integer>.Lease lease, Statx st) {
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

    private HandleKey keyOf(Inode inode) {
        if (inode instanceof LocalInode li && li.issuedBy(this)) {
            return li.key();
        }
        return new HandleKey(inode.handle());
    }

    private Node node(Inode inode) throws VfsException {
        if (inode == null) {
            throw new VfsException(VfsError.BADHANDLE, "no file handle");
        }
        return node(keyOf(inode));
    }

    private Node node(HandleKey key) throws VfsException {
        LeaseCache<HandleKey, Integer>.Lease lease = fds.acquire(key);
        if (lease == null) {
            lease = resolve(key);
        }
        try {
            Statx st = Libc.fstatx(lease.value());
            if (st.nlink() == 0) {
                fds.invalidate(key);
                io.invalidate(key);
                throw new VfsException(VfsError.STALE, "object was deleted");
            }
            return new Node(key, lease, st);
        } catch (ErrnoException e) {
            lease.close();
            throw VfsErrors.of(e);
        } catch (VfsException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** A handle not in the descriptor cache: authenticate it, open it, check where it lies. */
    private LeaseCache<HandleKey, Integer>.Lease resolve(HandleKey key) throws VfsException {
        HandleCodec.Decoded d = codec.decode(key.bytes());
        int fd;
        try {
            fd = Libc.openByHandleAt(rootFd, d.type(), d.bytes(), Libc.O_PATH | Libc.O_NOFOLLOW);
        } catch (ErrnoException e) {
            if (e.is(Errno.ESTALE) || e.is(Errno.ENOENT)) {
                throw new VfsException(VfsError.STALE, "object no longer exists");
            }
            if (e.is(Errno.EINVAL)) {
                throw new VfsException(VfsError.BADHANDLE, "kernel refused the handle");
            }
            throw VfsErrors.of(e);
        }
        try {
            Statx st = Libc.fstatx(fd);
            if (st.nlink() == 0) {
                throw new VfsException(VfsError.STALE, "object was deleted");
            }
            checkInsideExport(fd, st);
        } catch (ErrnoException e) {
            Libc.close(fd);
            throw VfsErrors.of(e);
        } catch (VfsException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return fds.putIfAbsent(key, fd);
    }

    /**
     * An object opened from a handle must still lie inside the export and outside the hidden
     * names. The kernel tells where through /proc/self/fd. A non-directory whose dentry is not
     * connected (after the kernel dropped its caches it shows as "/") cannot be placed; as
     * knfsd without subtree_check does, it is accepted: its handle's MAC proves this export
     * issued it.
     */
    private void checkInsideExport(int fd, Statx st) throws VfsException, ErrnoException {
        if (st.sameObject(rootStat)) {
            return;
        }
        String p = new String(Libc.readlinkat(Libc.AT_FDCWD, Libc.procPath(fd)),
                StandardCharsets.UTF_8);
        String rel = null;
        if (rootPath.equals("/")) {
            rel = p.length() > 1 ? p.substring(1) : null;
        } else if (p.startsWith(rootPath) && p.length() > rootPath.length() + 1
                && p.charAt(rootPath.length()) == '/') {
            rel = p.substring(rootPath.length() + 1);
        }
        if (rel == null) {
            if (!st.isDirectory() && p.equals("/") && identity.secret()) {
                return;
            }
            throw new VfsException(VfsError.STALE, "object is outside the export");
        }
        int slash = rel.indexOf('/');
        String first = slash < 0 ? rel : rel.substring(0, slash);
        if (hidden.contains(first)) {
            throw new VfsException(VfsError.STALE, "object is in a reserved directory");
        }
    }

    private boolean isRootDir(Statx st) {
        return st.sameObject(rootStat);
    }

    private boolean isHidden(Node dir, String name) {
        return !hidden.isEmpty() && hidden.contains(name) && isRootDir(dir.st);
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

    /** Issues (and caches the descriptor of) the object an O_PATH-or-better fd refers to. */
    private LocalInode adopt(int fd, Statx st) throws ErrnoException, VfsException {
        Libc.KernelHandle kh = Libc.nameToHandleAt(fd, "", Libc.AT_EMPTY_PATH,
                HandleCodec.MAX_KERNEL_BYTES);
        if (kh.mountId() != rootMountId) {
            throw new VfsException(VfsError.NOENT, "mount points inside the export are not served");
        }
        HandleKey key = new HandleKey(codec.encode(kh));
        fds.putIfAbsent(key, fd).close();
        return new LocalInode(key, st.type(), this);
    }

    /** The handle key of dir/name, or null if it cannot be had (used to drop caches). */
    private HandleKey keyAt(int dirFd, String name) {
        try {
            return new HandleKey(codec.encode(Libc.nameToHandleAt(dirFd, name, 0,
                    HandleCodec.MAX_KERNEL_BYTES)));
        } catch (ErrnoException | RuntimeException e) {
            return null;
        }
    }

    private void forget(HandleKey key) {
        if (key != null) {
            fds.invalidate(key);
            io.invalidate(key);
        }
    }

    private Statx statAt(int dirFd, String name) throws ErrnoException {
        return Libc.statx(dirFd, name, Libc.AT_SYMLINK_NOFOLLOW, Statx.STATX_WANTED);
    }

    /** statx of dir/name, or null when there is no such entry. */
    private Statx statAtOrNull(int dirFd, String name) throws ErrnoException {
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
        return rootInode;
    }

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (handle == null || handle.length == 0 || handle.length > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.BADHANDLE, "bad handle length");
        }
        HandleKey key = new HandleKey(handle.clone());
        try (Node n = node(key)) {
            return new LocalInode(key, n.st.type(), this);
        }
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        Names.check(name);
        try (Node d = node(dir)) {
            requireDirectory(d.st);
            PermissionChecker.require(caller, d.st, X, "no search permission");
            if (isHidden(d, name)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            // name_to_handle_at without AT_SYMLINK_FOLLOW: a symlink is taken as itself
            Libc.KernelHandle kh = Libc.nameToHandleAt(d.fd, name, 0, HandleCodec.MAX_KERNEL_BYTES);
            if (kh.mountId() != rootMountId) {
                throw new VfsException(VfsError.NOENT, "mount points inside the export are not served");
            }
            HandleKey key = new HandleKey(codec.encode(kh));
            try (LeaseCache<HandleKey, Integer>.Lease cached = fds.acquire(key)) {
                if (cached != null) { // a repeated lookup: the descriptor is already open
                    return new LocalInode(key, Libc.fstatx(cached.value()).type(), this);
                }
            }
            // O_NOFOLLOW|O_PATH: a symlink is opened as itself, never followed
            int fd = Libc.openat(d.fd, name, Libc.O_PATH | Libc.O_NOFOLLOW, 0);
            return adoptOrClose(fd);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    private LocalInode adoptOrClose(int fd) throws ErrnoException, VfsException {
        try {
            return adopt(fd, Libc.fstatx(fd));
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        try (Node d = node(dir)) {
            requireDirectory(d.st);
            if (isRootDir(d.st)) {
                throw new VfsException(VfsError.NOENT, "the export root has no parent");
            }
            PermissionChecker.require(caller, d.st, X, "no search permission");
            int fd = Libc.openat(d.fd, "..", Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            try {
                Statx st = Libc.fstatx(fd);
                checkInsideExport(fd, st);
                return adopt(fd, st);
            } catch (ErrnoException | VfsException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        try (Node n = node(inode)) {
            return n.st.toStat(fsid, 0);
        }
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes ch) throws VfsException {
        try (Node n = node(inode)) {
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
            String proc = Libc.procPath(n.fd);
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
            if (ch.atimeNanos() != null || ch.mtimeNanos() != null) {
                Libc.utimensat(Libc.AT_FDCWD, proc, utime(ch.atimeNanos()), utime(ch.mtimeNanos()),
                        0);
            }
            return Libc.fstatx(n.fd).toStat(fsid, 0);
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    private static long utime(Long t) {
        if (t == null) {
            return Libc.UTIME_OMIT;
        }
        return t == SetAttributes.SET_TO_SERVER_TIME ? Libc.UTIME_NOW : t;
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        try (Node n = node(inode)) {
            boolean xa = xattrs.supported() && (n.st.isRegular() || n.st.isDirectory());
            return PermissionChecker.access(caller, n.st, requested, xa);
        }
    }

    // ------------------------------------------------------------------ namespace changes

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        Names.check(name);
        SetAttributes a = attrs == null ? SetAttributes.NONE : attrs;
        switch (type) {
            case REGULAR, DIRECTORY, SYMLINK, FIFO, SOCKET -> { }
            // create() carries no device numbers, so devices cannot be made faithfully
            default -> throw new VfsException(VfsError.BADTYPE, "cannot create " + type);
        }
        if (type == FileType.SYMLINK && (linkTarget == null || linkTarget.isEmpty()
                || linkTarget.indexOf('\0') >= 0)) {
            throw new VfsException(VfsError.INVAL, "bad symlink target");
        }
        try (Node d = node(dir)) {
            requireDirectory(d.st);
            if (isHidden(d, name)) {
                throw new VfsException(VfsError.EXIST, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, d.st);
            boolean sgidDir = (d.st.perm() & Statx.S_ISGID) != 0;
            int uid = a.uid() != null ? a.uid() : caller.uid();
            int gid = a.gid() != null ? a.gid() : sgidDir ? d.st.gid() : caller.gid();
            if (!caller.isRoot()) {
                if (uid != caller.uid()) {
                    throw new VfsException(VfsError.PERM, "only root may create for another user");
                }
                if (a.gid() != null && !caller.inGroup(gid)) {
                    throw new VfsException(VfsError.PERM, "group the caller is not in");
                }
            }
            int mode = a.mode() != null ? a.mode() & 07777
                    : type == FileType.DIRECTORY ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE;
            if (type == FileType.DIRECTORY && sgidDir) {
                mode |= Statx.S_ISGID; // Linux: directories inherit setgid
            } else if (type != FileType.DIRECTORY) {
                mode = PermissionChecker.chmodMode(caller, mode, gid);
            }
            return switch (type) {
                case REGULAR -> createFile(d, name, uid, gid, mode, a);
                case DIRECTORY -> createDirectory(d, name, uid, gid, mode, a);
                case SYMLINK -> createSymlink(d, name, uid, gid, linkTarget, a);
                default -> createSpecial(d, name, type, uid, gid, mode, a);
            };
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    private Inode createFile(Node d, String name, int uid, int gid, int mode, SetAttributes a)
            throws ErrnoException, VfsException {
        int fd = Libc.openat(d.fd, name,
                Libc.O_CREAT | Libc.O_EXCL | Libc.O_RDWR | Libc.O_NOFOLLOW, 0600);
        int pathFd = -1;
        try {
            Libc.fchown(fd, uid, gid);
            Libc.fchmod(fd, mode);
            if (a.size() != null && a.size() > 0) {
                Libc.ftruncate(fd, a.size());
            }
            applyTimes(fd, a);
            pathFd = Libc.dup(fd);
            LocalInode inode = adopt(pathFd, Libc.fstatx(fd));
            io.adopt(inode.key(), fd); // the client writes next: keep it open
            return inode;
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            Libc.close(pathFd);
            undoCreate(d, name, false);
            throw e;
        }
    }

    private Inode createDirectory(Node d, String name, int uid, int gid, int mode,
                                  SetAttributes a) throws ErrnoException, VfsException {
        Libc.mkdirat(d.fd, name, 0700);
        int fd = -1;
        try {
            fd = Libc.openat(d.fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            Libc.fchown(fd, uid, gid);
            Libc.fchmod(fd, mode);
            applyTimes(fd, a);
            return adopt(fd, Libc.fstatx(fd));
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undoCreate(d, name, true);
            throw e;
        }
    }

    private Inode createSymlink(Node d, String name, int uid, int gid, String target,
                                SetAttributes a) throws ErrnoException, VfsException {
        Libc.symlinkat(target.getBytes(StandardCharsets.UTF_8), d.fd, name);
        int fd = -1;
        try {
            fd = Libc.openat(d.fd, name, Libc.O_PATH | Libc.O_NOFOLLOW, 0);
            Libc.fchownat(fd, "", uid, gid, Libc.AT_EMPTY_PATH); // lchown: the link itself
            applyTimes(fd, a);
            return adopt(fd, Libc.fstatx(fd));
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undoCreate(d, name, false);
            throw e;
        }
    }

    private Inode createSpecial(Node d, String name, FileType type, int uid, int gid, int mode,
                                SetAttributes a) throws ErrnoException, VfsException {
        int format = type == FileType.FIFO ? Statx.S_IFIFO : Statx.S_IFSOCK;
        Libc.mknodat(d.fd, name, format | 0600, 0);
        int fd = -1;
        try {
            fd = Libc.openat(d.fd, name, Libc.O_PATH | Libc.O_NOFOLLOW, 0);
            Libc.fchownat(fd, "", uid, gid, Libc.AT_EMPTY_PATH);
            Libc.chmod(Libc.procPath(fd), mode);
            applyTimes(fd, a);
            return adopt(fd, Libc.fstatx(fd));
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undoCreate(d, name, false);
            throw e;
        }
    }

    private static void applyTimes(int fd, SetAttributes a) throws ErrnoException {
        if (a.atimeNanos() != null || a.mtimeNanos() != null) {
            Libc.utimensat(Libc.AT_FDCWD, Libc.procPath(fd), utime(a.atimeNanos()),
                    utime(a.mtimeNanos()), 0);
        }
    }

    /** Removes a half-made object so a failed create leaves nothing behind. */
    private static void undoCreate(Node d, String name, boolean dir) {
        try {
            Libc.unlinkat(d.fd, name, dir ? Libc.AT_REMOVEDIR : 0);
        } catch (ErrnoException e) {
            LOG.warn("could not remove half-created {}: {}", name, e.getMessage());
        }
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        Names.check(name);
        try (Node t = node(target); Node d = node(dir)) {
            if (t.st.isDirectory()) {
                throw new VfsException(VfsError.ISDIR, "hard link to a directory");
            }
            requireDirectory(d.st);
            if (isHidden(d, name)) {
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
        try (Node d = node(dir)) {
            requireDirectory(d.st);
            if (isHidden(d, name)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            PermissionChecker.requireDirWrite(caller, d.st);
            Statx victim = statAt(d.fd, name);
            PermissionChecker.checkSticky(caller, d.st, victim);
            HandleKey victimKey = keyAt(d.fd, name);
            try {
                Libc.unlinkat(d.fd, name, victim.isDirectory() ? Libc.AT_REMOVEDIR : 0);
            } catch (ErrnoException e) {
                if (e.is(Errno.ENOTEMPTY) || (e.is(Errno.EEXIST) && victim.isDirectory())) {
                    throw new VfsException(VfsError.NOTEMPTY, "directory not empty");
                }
                throw e;
            }
            if (victim.isDirectory() || victim.nlink() <= 1) {
                forget(victimKey); // close our descriptors so the space is freed now
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
        try (Node from = node(fromDir); Node to = node(toDir)) {
            requireDirectory(from.st);
            requireDirectory(to.st);
            if (isHidden(from, fromName)) {
                throw new VfsException(VfsError.NOENT, "reserved name");
            }
            if (isHidden(to, toName)) {
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
            HandleKey victimKey = dst != null ? keyAt(to.fd, toName) : null;
            try {
                Libc.renameat(from.fd, fromName, to.fd, toName);
            } catch (ErrnoException e) {
                switch (e.errno()) {
                    case Errno.ENOTEMPTY, Errno.EEXIST -> throw new VfsException(VfsError.EXIST,
                            "target directory not empty");
                    case Errno.ENOTDIR, Errno.EISDIR -> throw new VfsException(VfsError.EXIST,
                            "rename between a directory and a file");
                    default -> throw e;
                }
            }
            if (dst != null && (dst.isDirectory() || dst.nlink() <= 1)) {
                forget(victimKey);
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        try (Node n = node(link)) {
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
        try (Node d = node(dir)) {
            requireDirectory(d.st);
            PermissionChecker.require(caller, d.st, R | X, "no read and search permission");
            LocalDirectoryLister.Snapshot s = lister.snapshot(d.key, d.fd, d.st,
                    isRootDir(d.st) ? hidden : Set.of());
            int i = s.indexAfter(cookie);
            List<DirectoryEntry> entries = new ArrayList<>(Math.min(Math.max(maxEntries, 0),
                    s.size() - i));
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
            if (st.mountId() >= 0 && st.mountId() != rootMountId) {
                return null; // a mount point: not served
            }
            Libc.KernelHandle kh = Libc.nameToHandleAt(dirFd, name, 0, HandleCodec.MAX_KERNEL_BYTES);
            LocalInode inode = new LocalInode(new HandleKey(codec.encode(kh)), st.type(), this);
            return new DirectoryEntry(name, cookie, inode, st.toStat(fsid, 0));
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
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        try (Node n = node(file)) {
            requireRegular(n.st);
            if (!PermissionChecker.mayReadData(caller, n.st)) {
                throw new VfsException(VfsError.ACCESS, "no read permission");
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                long got = readFully(f.value().fd(), dst, offset);
                return got == 0 ? -1 : (int) got;
            }
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    private long readFully(int fd, ByteBuffer dst, long offset) throws ErrnoException {
        long total = 0;
        if (dst.isDirect()) { // native memory: the kernel fills it directly
            while (dst.hasRemaining()) {
                long n = Libc.pread(fd, MemorySegment.ofBuffer(dst), offset + total);
                if (n == 0) {
                    break;
                }
                dst.position(dst.position() + (int) n);
                total += n;
            }
            return total;
        }
        MemorySegment bounce = buffers.take();
        try {
            while (dst.hasRemaining()) {
                int want = Math.min(dst.remaining(), NativeBuffers.CHUNK);
                long n = Libc.pread(fd, bounce.asSlice(0, want), offset + total);
                if (n == 0) {
                    break;
                }
                MemorySegment.copy(bounce, 0, MemorySegment.ofBuffer(dst), 0, n);
                dst.position(dst.position() + (int) n);
                total += n;
            }
            return total;
        } finally {
            buffers.give(bounce);
        }
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        try (Node n = node(file)) {
            requireRegular(n.st);
            if (!PermissionChecker.mayWriteData(caller, n.st)) {
                throw new VfsException(VfsError.ACCESS, "no write permission");
            }
            try (LeaseCache<HandleKey, OpenFileCache.IoFd>.Lease f = io.acquire(n.key, n.fd)) {
                requireWritable(f.value());
                int fd = f.value().fd();
                writeFully(fd, src, offset);
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

    private void writeFully(int fd, ByteBuffer src, long offset) throws ErrnoException {
        long done = 0;
        if (src.isDirect() && !src.isReadOnly()) { // native memory: hand it to the kernel as is
            while (src.hasRemaining()) {
                long n = Libc.pwrite(fd, MemorySegment.ofBuffer(src), offset + done);
                src.position(src.position() + (int) n);
                done += n;
            }
            return;
        }
        MemorySegment bounce = buffers.take();
        try {
            while (src.hasRemaining()) {
                int len = Math.min(src.remaining(), NativeBuffers.CHUNK);
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, bounce, 0, len);
                long off = 0;
                while (off < len) {
                    off += Libc.pwrite(fd, bounce.asSlice(off, len - off), offset + done + off);
                }
                src.position(src.position() + len);
                done += len;
            }
        } finally {
            buffers.give(bounce);
        }
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        try (Node n = node(file)) {
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
        try (Node n = node(inode)) {
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
        try (Node n = node(inode)) {
            return xattrs.supported() && canHoldXattrs(n.st);
        }
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        try (Node n = node(inode)) {
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
        try (Node n = node(inode)) {
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
        try (Node n = node(inode)) {
            if (!canHoldXattrs(n.st)) {
                return List.of();
            }
            PermissionChecker.require(caller, n.st, R, "no read permission");
            return xattrs.list(n.fd);
        }
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        try (Node n = node(inode)) {
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
        try (Node n = node(inode)) {
            if (isRootDir(n.st)) {
                return Optional.of(root);
            }
            String p = new String(Libc.readlinkat(Libc.AT_FDCWD, Libc.procPath(n.fd)),
                    StandardCharsets.UTF_8);
            boolean inside = rootPath.equals("/") ? p.length() > 1
                    : p.startsWith(rootPath + "/");
            return inside ? Optional.of(Path.of(p)) : Optional.empty();
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
    }

    // ------------------------------------------------------------------ for tests and tools

    /** Descriptors currently cached: O_PATH ones and read-write ones. */
    int[] cachedDescriptors() {
        return new int[] {fds.size(), io.size()};
    }

    /** Drops every cached descriptor, as a restart would. */
    void dropCaches() {
        io.clear();
        fds.clear();
    }
}
