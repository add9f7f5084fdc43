package org.fsnap.snapshot;

/** The path is a directory, symlink or special file; only regular files have snapshots. */
public final class NotRegularFileException extends SnapshotException {
    public NotRegularFileException(String message) {
        super(message);
    }

    public NotRegularFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
