package org.fsnap.snapshot;

import java.io.UncheckedIOException;

/**
 * The cluster cannot safely coordinate a snapshot change right now: this node is cut off from the
 * majority of its members, a cluster call timed out, or this node no longer holds the lock it was
 * working under. Nothing was changed; the caller may retry later (the NFS layer answers NFS4ERR_DELAY).
 *
 * <p>Lock and catalogue implementations cannot throw checked exceptions through their interfaces, so
 * they throw {@link #unchecked} instead and the engine unwraps it at its public boundary.
 */
public final class ClusterUnavailableException extends SnapshotException {
    public ClusterUnavailableException(String message) {
        super(message);
    }

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** This exception wrapped for interfaces without checked exceptions. */
    public UncheckedIOException unchecked() {
        return new UncheckedIOException(getMessage(), this);
    }
}
