package org.fsnap.snapshot;

/** The live file does not exist. */
public final class NoSuchLiveFileException extends SnapshotException {
    public NoSuchLiveFileException(String message) {
        super(message);
    }

    public NoSuchLiveFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
