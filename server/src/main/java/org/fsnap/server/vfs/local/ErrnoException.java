package org.fsnap.server.vfs.local;

import java.io.IOException;

/** A failed libc call: which call, and the errno it left. */
final class ErrnoException extends IOException {
    private final int errno;

    ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    boolean is(int value) {
        return errno == value;
    }
}
