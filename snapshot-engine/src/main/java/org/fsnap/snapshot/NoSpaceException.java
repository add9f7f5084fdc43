package org.fsnap.snapshot;

/** The filesystem ran out of space (ENOSPC/EDQUOT); nothing of the operation was left behind. */
public final class NoSpaceException extends SnapshotException {
    public NoSpaceException(String message) {
        super(message);
    }

    public NoSpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
