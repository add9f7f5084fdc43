package org.fsnap.snapshot.nativeio;

import java.io.IOException;

/** A failed libc call, keeping the errno so callers can choose a fallback or a precise error. */
public final class NativeIoException extends IOException {
    private final int errno;
    private final String call;

    public NativeIoException(String call, int errno, String subject) {
        super(call + " failed for " + subject + ": errno " + errno + " (" + describe(errno) + ")");
        this.errno = errno;
        this.call = call;
    }

    public int errno() {
        return errno;
    }

    public String call() {
        return call;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case Errno.EPERM -> "operation not permitted";
            case Errno.ENOENT -> "no such file or directory";
            case Errno.EIO -> "input/output error";
            case Errno.EACCES -> "permission denied";
            case Errno.EEXIST -> "file exists";
            case Errno.EXDEV -> "cross-device link";
            case Errno.ENOTDIR -> "not a directory";
            case Errno.EISDIR -> "is a directory";
            case Errno.EINVAL -> "invalid argument";
            case Errno.ENOTTY -> "inappropriate ioctl";
            case Errno.ENOSPC -> "no space left on device";
            case Errno.EROFS -> "read-only filesystem";
            case Errno.ELOOP -> "symbolic link";
            case Errno.ENODATA -> "no such attribute";
            case Errno.EOPNOTSUPP -> "operation not supported";
            case Errno.EDQUOT -> "quota exceeded";
            default -> "see errno(3)";
        };
    }
}
