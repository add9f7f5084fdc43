package org.fsnap.server.vfs;

/** A filesystem failure with its {@link VfsError}; the message is for logs, never the wire. */
public class VfsException extends Exception {
    private final VfsError error;

    public VfsException(VfsError error, String message) {
        super(message);
        this.error = error;
    }

    public VfsException(VfsError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public VfsError error() {
        return error;
    }
}
