package org.fsnap.snapshot;

/** No snapshot of this name (or no history for this key). */
public final class SnapshotNotFoundException extends SnapshotException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }

    public SnapshotNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
