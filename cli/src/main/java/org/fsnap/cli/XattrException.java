package org.fsnap.cli;

import java.io.IOException;

/** A failed user xattr read or write, with the errno it failed with. */
public final class XattrException extends IOException {
    private final Errno errno;

    public XattrException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
