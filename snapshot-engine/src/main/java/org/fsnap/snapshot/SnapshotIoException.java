package org.fsnap.snapshot;

/** An I/O failure that is none of the specific conditions (maps to NFS4ERR_IO). */
public final class SnapshotIoException extends SnapshotException {
    public SnapshotIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
