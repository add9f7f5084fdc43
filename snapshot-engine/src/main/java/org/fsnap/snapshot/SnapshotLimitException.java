package org.fsnap.snapshot;

/** The file already has the configured maximum number of snapshots. */
public final class SnapshotLimitException extends SnapshotException {
    public SnapshotLimitException(String message) {
        super(message);
    }

    public SnapshotLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
