package org.fsnap.server.vfs.local;

import java.io.IOException;

/** A failed libc call: which call, and the errno it left. */
final class ErrnoException extends IOException {
    private final int errno;

    ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    /**
     * No stack: the call and errno say what failed, and some are routine (every create first
     * looks the name up and gets ENOENT), where a stack costs more than the system call.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    int errno() {
        return errno;
    }

    boolean is(int value) {
        return errno == value;
    }
}
