package org.fsnap.server.vfs.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;

/**
 * Issues file handles and turns them back into descriptors.
 *
 * <p>A handle is the kernel's own (name_to_handle_at) wrapped by {@link HandleCodec}; it names
 * the inode, not a path, so it survives renames and restarts. Resolving one opens an O_PATH
 * descriptor with open_by_handle_at (which needs CAP_DAC_READ_SEARCH) and checks through
 * /proc/self/fd that the object lies inside the export and outside the hidden names.
 * Descriptors are cached per handle (bounded LRU): a cached one needs just one fstatx per call,
 * whose link count tells whether the object still exists.
 */
final class NativeFileHandles implements AutoCloseable {
    private final Path root;
    private final String rootPath;
    private final Set<String> hidden;
    private final int rootFd;
    private final Statx rootStat;
    private final int rootMountId;
    private final ExportIdentity identity;
    private final HandleCodec codec;
    private final LocalInode rootInode;
    private final Libc.StatFs statFs;
    private final int kernelHandleBytes;
    private final LeaseCache<HandleKey, Integer> fds;
    private final Consumer<HandleKey> onForget;

    /**
     * @param onForget told when a handle's object is gone, so other caches can drop it
     * @throws IOException when the filesystem cannot give handles, or we cannot open them
     */
    NativeFileHandles(Path root, Set<String> hidden, Consumer<HandleKey> onForget)
            throws IOException {
        this.root = root;
        this.rootPath = root.toString();
        this.hidden = Set.copyOf(hidden);
        this.onForget = onForget;
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
            this.kernelHandleBytes = rh.bytes().length;
            this.rootStat = Libc.fstatx(rootFd);
            try {
                Libc.close(Libc.openByHandleAt(rootFd, rh.type(), rh.bytes(),
                        Libc.O_PATH | Libc.O_NOFOLLOW));
            } catch (ErrnoException e) {
                throw new IOException("open_by_handle_at on " + root + " fails (" + e.getMessage()
                        + "): the server needs CAP_DAC_READ_SEARCH (run it as root)", e);
            }
            this.statFs = Libc.fstatfs(rootFd);
            this.identity = ExportIdentity.load(rootFd, rh, statFs);
            this.codec = new HandleCodec(identity);
            this.rootInode = new LocalInode(new HandleKey(codec.encode(rh)), FileType.DIRECTORY,
                    this);
            this.fds = new LeaseCache<>(cacheCapacity(), Libc::close);
            ok = true;
        } finally {
            if (!ok) {
                Libc.close(rootFd);
            }
        }
    }

    /** O_PATH descriptors kept: plenty for hot objects, and well within the fd limit. */
    private static int cacheCapacity() {
        long max = 4096 * 4;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            max = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.max(256, Math.min(4096, max / 4));
    }

    int rootFd() {
        return rootFd;
    }

    LocalInode rootInode() {
        return rootInode;
    }

    ExportIdentity identity() {
        return identity;
    }

    Libc.StatFs statFs() {
        return statFs;
    }

    int kernelHandleBytes() {
        return kernelHandleBytes;
    }

    boolean isRoot(Statx st) {
        return st.sameObject(rootStat);
    }

    /** Whether {@code name} in this directory is one of the server's reserved root names. */
    boolean isHidden(LocalNode dir, String name) {
        return !hidden.isEmpty() && hidden.contains(name) && isRoot(dir.st);
    }

    Set<String> hiddenIn(LocalNode dir) {
        return isRoot(dir.st) ? hidden : Set.of();
    }

    // ---- handle to descriptor

    private HandleKey keyOf(Inode inode) {
        if (inode instanceof LocalInode li && li.issuedBy(this)) {
            return li.key();
        }
        return new HandleKey(inode.handle());
    }

    LocalNode node(Inode inode) throws VfsException {
        if (inode == null) {
            throw new VfsException(VfsError.BADHANDLE, "no file handle");
        }
        return node(keyOf(inode));
    }

    LocalNode node(HandleKey key) throws VfsException {
        LeaseCache<HandleKey, Integer>.Lease lease = fds.acquire(key);
        if (lease == null) {
            lease = resolve(key);
        }
        try {
            Statx st = Libc.fstatx(lease.value());
            if (st.nlink() == 0) {
                forget(key);
                throw new VfsException(VfsError.STALE, "object was deleted");
            }
            return new LocalNode(key, lease, st);
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

    /** The kernel's current path of a descriptor, as /proc/self/fd shows it. */
    private static String kernelPath(int fd) throws ErrnoException {
        return new String(Libc.readlinkat(Libc.AT_FDCWD, Libc.procPath(fd)), StandardCharsets.UTF_8);
    }

    /** The path below the export root, or null when the path is not below it. */
    private String relative(String p) {
        if (rootPath.equals("/")) {
            return p.length() > 1 ? p.substring(1) : null;
        }
        if (p.startsWith(rootPath) && p.length() > rootPath.length() + 1
                && p.charAt(rootPath.length()) == '/') {
            return p.substring(rootPath.length() + 1);
        }
        return null;
    }

    /**
     * An object opened from a handle must still lie inside the export and outside the hidden
     * names. A non-directory whose dentry is not connected (after the kernel dropped its caches
     * it shows as "/") cannot be placed; as knfsd without subtree_check does, it is accepted:
     * its handle's MAC proves this export issued it.
     */
    void checkInsideExport(int fd, Statx st) throws VfsException, ErrnoException {
        if (isRoot(st)) {
            return;
        }
        String p = kernelPath(fd);
        String rel = relative(p);
        if (rel == null) {
            if (!st.isDirectory() && p.equals("/") && identity.secret()) {
                return;
            }
            throw new VfsException(VfsError.STALE, "object is outside the export");
        }
        int slash = rel.indexOf('/');
        if (hidden.contains(slash < 0 ? rel : rel.substring(0, slash))) {
            throw new VfsException(VfsError.STALE, "object is in a reserved directory");
        }
    }

    Optional<Path> pathOf(LocalNode n) throws ErrnoException {
        if (isRoot(n.st)) {
            return Optional.of(root);
        }
        String p = kernelPath(n.fd);
        return relative(p) != null ? Optional.of(Path.of(p)) : Optional.empty();
    }

    // ---- descriptor to handle

    private HandleKey keyOf(Libc.KernelHandle kh) throws VfsException {
        if (kh.mountId() != rootMountId) {
            throw new VfsException(VfsError.NOENT, "mount points inside the export are not served");
        }
        return new HandleKey(codec.encode(kh));
    }

    private LocalInode issue(Libc.KernelHandle kh, FileType type) throws VfsException {
        return new LocalInode(keyOf(kh), type, this);
    }

    /** Issues the handle of a descriptor's object and caches the descriptor (ours from now). */
    LocalInode adopt(int fd, Statx st) throws ErrnoException, VfsException {
        LocalInode inode;
        try {
            inode = issue(Libc.nameToHandleAt(fd, "", Libc.AT_EMPTY_PATH,
                    HandleCodec.MAX_KERNEL_BYTES), st.type());
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        fds.putIfAbsent(inode.key(), fd).close();
        return inode;
    }

    /** Opens dir/name (never following a symlink) and adopts it. */
    LocalInode openAndAdopt(int dirFd, String name) throws ErrnoException, VfsException {
        int fd = Libc.openat(dirFd, name, Libc.O_PATH | Libc.O_NOFOLLOW, 0);
        Statx st;
        try {
            st = Libc.fstatx(fd);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return adopt(fd, st);
    }

    /**
     * LOOKUP: the handle of dir/name, a symlink taken as itself. A repeated lookup finds the
     * descriptor cached and costs two calls; a first one opens it for the calls that follow.
     */
    LocalInode lookup(int dirFd, String name) throws ErrnoException, VfsException {
        HandleKey key = keyOf(Libc.nameToHandleAt(dirFd, name, 0, HandleCodec.MAX_KERNEL_BYTES));
        try (LeaseCache<HandleKey, Integer>.Lease cached = fds.acquire(key)) {
            if (cached != null) {
                return new LocalInode(key, Libc.fstatx(cached.value()).type(), this);
            }
        }
        return openAndAdopt(dirFd, name);
    }

    /** READDIR: handle and attributes of dir/name, nothing cached; null if it vanished. */
    LocalInode entry(int dirFd, String name, Statx st) throws ErrnoException {
        if (st.mountId() >= 0 && st.mountId() != rootMountId) {
            return null; // a mount point: not served
        }
        Libc.KernelHandle kh = Libc.nameToHandleAt(dirFd, name, 0, HandleCodec.MAX_KERNEL_BYTES);
        return new LocalInode(new HandleKey(codec.encode(kh)), st.type(), this);
    }

    /** The handle key of dir/name, or null if it cannot be had (used to drop caches). */
    HandleKey keyAt(int dirFd, String name) {
        try {
            return new HandleKey(codec.encode(Libc.nameToHandleAt(dirFd, name, 0,
                    HandleCodec.MAX_KERNEL_BYTES)));
        } catch (ErrnoException | RuntimeException e) {
            return null;
        }
    }

    /** Drops every cached descriptor of a gone object, so its space is freed now. */
    void forget(HandleKey key) {
        if (key != null) {
            fds.invalidate(key);
            onForget.accept(key);
        }
    }

    int evictIdle(long idleNanos) {
        return fds.evictIdle(idleNanos);
    }

    void clear() {
        fds.clear();
    }

    int cached() {
        return fds.size();
    }

    @Override
    public void close() {
        fds.clear();
        Libc.close(rootFd);
    }
}
