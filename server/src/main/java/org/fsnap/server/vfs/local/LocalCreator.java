package org.fsnap.server.vfs.local;

import java.nio.charset.StandardCharsets;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes new objects for a caller. The server is root, so each object is created private
 * (0600/0700), then handed over with fchown and given its mode with fchmod: the result owes
 * nothing to root's identity or the process umask. Every step after the create works on a
 * descriptor of the new object, so a concurrent rename cannot aim it elsewhere; a failure
 * removes the half-made object.
 */
final class LocalCreator {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCreator.class);
    static final int DEFAULT_FILE_MODE = 0644;
    static final int DEFAULT_DIR_MODE = 0755;

    private final NativeFileHandles handles;
    private final OpenFileCache io;

    LocalCreator(NativeFileHandles handles, OpenFileCache io) {
        this.handles = handles;
        this.io = io;
    }

    /** Owner, group and mode of a new object, after the caller's rights are checked. */
    private record Initial(int uid, int gid, int mode) {
    }

    /**
     * Owner: the caller (root may name another). Group: the directory's when it is setgid, else
     * the caller's (or one the caller belongs to). Mode: as asked, or the defaults; directories
     * inherit setgid, and files drop it when the caller is outside their group, as Linux does.
     */
    private static Initial initial(Caller caller, Statx dir, FileType type, SetAttributes a)
            throws VfsException {
        boolean sgidDir = (dir.perm() & Statx.S_ISGID) != 0;
        int uid = a.uid() != null ? a.uid() : caller.uid();
        int gid = a.gid() != null ? a.gid() : sgidDir ? dir.gid() : caller.gid();
        if (!caller.isRoot()) {
            if (uid != caller.uid()) {
                throw new VfsException(VfsError.PERM, "only root may create for another user");
            }
            if (a.gid() != null && !caller.inGroup(gid)) {
                throw new VfsException(VfsError.PERM, "group the caller is not in");
            }
        }
        boolean isDir = type == FileType.DIRECTORY;
        int mode = a.mode() != null ? a.mode() & 07777 : isDir ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE;
        if (isDir && sgidDir) {
            mode |= Statx.S_ISGID;
        } else if (!isDir) {
            mode = PermissionChecker.chmodMode(caller, mode, gid);
        }
        return new Initial(uid, gid, mode);
    }

    LocalInode create(Caller caller, LocalNode dir, String name, FileType type, SetAttributes a,
                      String linkTarget) throws VfsException, ErrnoException {
        Initial init = initial(caller, dir.st, type, a);
        return switch (type) {
            case REGULAR -> file(dir, name, init, a);
            case DIRECTORY -> directory(dir, name, init, a);
            case SYMLINK -> symlink(dir, name, init, linkTarget, a);
            case FIFO, SOCKET -> special(dir, name, type, init, a);
            // create() carries no device numbers, so devices cannot be made faithfully
            default -> throw new VfsException(VfsError.BADTYPE, "cannot create " + type);
        };
    }

    private LocalInode file(LocalNode d, String name, Initial init, SetAttributes a)
            throws ErrnoException, VfsException {
        int fd = Libc.openat(d.fd, name,
                Libc.O_CREAT | Libc.O_EXCL | Libc.O_RDWR | Libc.O_NOFOLLOW, 0600);
        try {
            Libc.fchown(fd, init.uid(), init.gid()); // before chmod: chown drops setuid bits
            Libc.fchmod(fd, init.mode());
            if (a.size() != null && a.size() > 0) {
                Libc.ftruncate(fd, a.size());
            }
            applyTimes(fd, a);
            Statx st = Libc.fstatx(fd);
            LocalInode inode = handles.adopt(Libc.dup(fd), st);
            io.adopt(inode.key(), fd); // the client writes next: keep it open
            return inode;
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undo(d, name, false);
            throw e;
        }
    }

    private LocalInode directory(LocalNode d, String name, Initial init, SetAttributes a)
            throws ErrnoException, VfsException {
        Libc.mkdirat(d.fd, name, 0700);
        int fd = -1;
        try {
            fd = Libc.openat(d.fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            Libc.fchown(fd, init.uid(), init.gid());
            Libc.fchmod(fd, init.mode());
            applyTimes(fd, a);
            Statx st = Libc.fstatx(fd);
            int owned = fd;
            fd = -1; // adopt takes it, even when it fails
            return handles.adopt(owned, st);
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undo(d, name, true);
            throw e;
        }
    }

    private LocalInode symlink(LocalNode d, String name, Initial init, String target,
                               SetAttributes a) throws ErrnoException, VfsException {
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.INVAL, "bad symlink target");
        }
        Libc.symlinkat(target.getBytes(StandardCharsets.UTF_8), d.fd, name);
        return finishPathObject(d, name, init, a, false);
    }

    private LocalInode special(LocalNode d, String name, FileType type, Initial init,
                               SetAttributes a) throws ErrnoException, VfsException {
        int format = type == FileType.FIFO ? Statx.S_IFIFO : Statx.S_IFSOCK;
        Libc.mknodat(d.fd, name, format | 0600, 0);
        return finishPathObject(d, name, init, a, true);
    }

    /** Owner (and mode) of an object that cannot be opened for real: through O_PATH. */
    private LocalInode finishPathObject(LocalNode d, String name, Initial init, SetAttributes a,
                                        boolean chmod) throws ErrnoException, VfsException {
        int fd = -1;
        try {
            fd = Libc.openat(d.fd, name, Libc.O_PATH | Libc.O_NOFOLLOW, 0);
            Libc.fchownat(fd, "", init.uid(), init.gid(), Libc.AT_EMPTY_PATH); // lchown for links
            if (chmod) {
                Libc.chmod(Libc.procPath(fd), init.mode()); // fchmod refuses O_PATH descriptors
            }
            applyTimes(fd, a);
            Statx st = Libc.fstatx(fd);
            int owned = fd;
            fd = -1;
            return handles.adopt(owned, st);
        } catch (ErrnoException | VfsException | RuntimeException e) {
            Libc.close(fd);
            undo(d, name, false);
            throw e;
        }
    }

    static long utime(Long t) {
        if (t == null) {
            return Libc.UTIME_OMIT;
        }
        return t == SetAttributes.SET_TO_SERVER_TIME ? Libc.UTIME_NOW : t;
    }

    static void applyTimes(int fd, SetAttributes a) throws ErrnoException {
        if (a.atimeNanos() != null || a.mtimeNanos() != null) {
            Libc.utimensat(Libc.AT_FDCWD, Libc.procPath(fd), utime(a.atimeNanos()),
                    utime(a.mtimeNanos()), 0);
        }
    }

    private static void undo(LocalNode d, String name, boolean dir) {
        try {
            Libc.unlinkat(d.fd, name, dir ? Libc.AT_REMOVEDIR : 0);
        } catch (ErrnoException e) {
            LOG.warn("could not remove half-created {}: {}", name, e.getMessage());
        }
    }
}
