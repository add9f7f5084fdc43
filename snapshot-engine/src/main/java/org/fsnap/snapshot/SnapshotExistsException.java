package org.fsnap.snapshot;

/** A snapshot with this name already exists for the file. */
public final class SnapshotExistsException extends SnapshotException {
    public SnapshotExistsException(String message) {
        super(message);
    }

    public SnapshotExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
