package org.fsnap.server.vfs.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns errno values and NIO exceptions into {@link VfsException}s, logging the unexpected. */
final class VfsErrors {
    private static final Logger LOG = LoggerFactory.getLogger(VfsErrors.class);

    private VfsErrors() {
    }

    static VfsError ofErrno(int errno) {
        return switch (errno) {
            case Errno.EPERM -> VfsError.PERM;
            case Errno.ENOENT -> VfsError.NOENT;
            case Errno.ENXIO -> VfsError.NXIO;
            case Errno.EACCES, Errno.ETXTBSY, Errno.EBUSY -> VfsError.ACCESS;
            case Errno.EEXIST -> VfsError.EXIST;
            case Errno.EXDEV -> VfsError.XDEV;
            case Errno.ENOTDIR -> VfsError.NOTDIR;
            case Errno.EISDIR -> VfsError.ISDIR;
            case Errno.EINVAL -> VfsError.INVAL;
            case Errno.EFBIG -> VfsError.FBIG;
            case Errno.ENOSPC -> VfsError.NOSPC;
            case Errno.EROFS -> VfsError.ROFS;
            case Errno.EMLINK -> VfsError.MLINK;
            case Errno.ENAMETOOLONG -> VfsError.NAMETOOLONG;
            case Errno.ENOTEMPTY -> VfsError.NOTEMPTY;
            case Errno.EDQUOT -> VfsError.DQUOT;
            case Errno.ESTALE -> VfsError.STALE;
            case Errno.EOPNOTSUPP -> VfsError.NOTSUPP;
            case Errno.ELOOP -> VfsError.SYMLINK;
            case Errno.ENODATA -> VfsError.NOXATTR;
            case Errno.E2BIG -> VfsError.XATTR2BIG;
            // out of descriptors or memory, interrupted: worth a retry by the client
            case Errno.EMFILE, Errno.ENFILE, Errno.ENOMEM, Errno.EAGAIN, Errno.EINTR -> VfsError.DELAY;
            default -> VfsError.IO;
        };
    }

    static VfsException of(IOException e) {
        VfsError error;
        if (e instanceof ErrnoException ee) {
            error = ofErrno(ee.errno());
        } else if (e instanceof NoSuchFileException) {
            error = VfsError.NOENT;
        } else if (e instanceof FileAlreadyExistsException) {
            error = VfsError.EXIST;
        } else if (e instanceof DirectoryNotEmptyException) {
            error = VfsError.NOTEMPTY;
        } else if (e instanceof AccessDeniedException) {
            error = VfsError.ACCESS;
        } else if (e instanceof NotDirectoryException) {
            error = VfsError.NOTDIR;
        } else if (e instanceof FileSystemLoopException) {
            error = VfsError.SYMLINK;
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            error = ofReason(fse.getReason());
        } else {
            error = VfsError.IO;
        }
        if (error == VfsError.IO || error == VfsError.DELAY) {
            LOG.warn("local filesystem failure: {}", e.getMessage(), e);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {}", e.getMessage(), error);
        }
        return new VfsException(error, e.getMessage(), e);
    }

    /** NIO reports errno only as strerror text. */
    private static VfsError ofReason(String reason) {
        return switch (reason) {
            case "No space left on device" -> VfsError.NOSPC;
            case "Disk quota exceeded" -> VfsError.DQUOT;
            case "Read-only file system" -> VfsError.ROFS;
            case "File too large" -> VfsError.FBIG;
            case "Too many links" -> VfsError.MLINK;
            case "File name too long" -> VfsError.NAMETOOLONG;
            case "Not a directory" -> VfsError.NOTDIR;
            case "Is a directory" -> VfsError.ISDIR;
            case "Operation not permitted" -> VfsError.PERM;
            case "Permission denied" -> VfsError.ACCESS;
            case "Stale file handle" -> VfsError.STALE;
            case "Directory not empty" -> VfsError.NOTEMPTY;
            case "File exists" -> VfsError.EXIST;
            case "Invalid cross-device link" -> VfsError.XDEV;
            default -> VfsError.IO;
        };
    }

    static VfsException error(VfsError error, String message) {
        return new VfsException(error, message);
    }
}
