package org.fsnap.snapshot;

import java.io.IOException;

/**
 * Base of every error the engine reports. Each subclass is one condition the NFS layer can map to one
 * NFS4ERR code; anything else (an I/O error) arrives as {@link SnapshotIoException}.
 */
public abstract class SnapshotException extends IOException {
    protected SnapshotException(String message) {
        super(message);
    }

    protected SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
