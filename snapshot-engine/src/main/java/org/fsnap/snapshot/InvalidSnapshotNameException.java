package org.fsnap.snapshot;

/** The name is not 1-255 bytes of UTF-8, or contains '/' or NUL, or is '.' or '..'. */
public final class InvalidSnapshotNameException extends SnapshotException {
    public InvalidSnapshotNameException(String message) {
        super(message);
    }

    public InvalidSnapshotNameException(String message, Throwable cause) {
        super(message, cause);
    }
}
