package org.fsnap.snapshot;

/** Another engine instance holds the snapshot store. */
public final class StoreInUseException extends SnapshotException {
    public StoreInUseException(String message) {
        super(message);
    }

    public StoreInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
