package org.fsnap.server.vfs.snapshot;

import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.InvalidSnapshotNameException;
import org.fsnap.snapshot.NoSpaceException;
import org.fsnap.snapshot.NoSuchLiveFileException;
import org.fsnap.snapshot.NotRegularFileException;
import org.fsnap.snapshot.PathOutsideExportException;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotExistsException;
import org.fsnap.snapshot.SnapshotLimitException;
import org.fsnap.snapshot.SnapshotNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's errors as NFS sees them, chosen for what the shell then prints (the Linux
 * client maps NFS4ERR_EXIST to EEXIST, NOXATTR to ENODATA, INVAL to EINVAL, NOSPC to ENOSPC,
 * DQUOT to EDQUOT).
 */
public final class SnapshotErrors {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotErrors.class);

    private SnapshotErrors() {
    }

    static VfsException of(SnapshotException e) {
        if (e instanceof ClusterUnavailableException) {
            LOG.warn("snapshot change refused (NFS4ERR_DELAY): {}", e.getMessage());
        }
        return new VfsException(errorOf(e), e.getMessage(), e);
    }

    /** The NFS error a client gets for this engine failure (also the result name in audit lines and metrics). */
    public static VfsError errorOf(SnapshotException e) {
        return switch (e) {
            case SnapshotExistsException x -> VfsError.EXIST;
            case SnapshotNotFoundException x -> VfsError.NOXATTR;
            case InvalidSnapshotNameException x -> VfsError.INVAL;
            case NotRegularFileException x -> VfsError.INVAL;
            // "too many snapshots": EDQUOT, a per-file quota on snapshots (documented in README)
            case SnapshotLimitException x -> VfsError.DQUOT;
            case NoSpaceException x -> VfsError.NOSPC;
            case NoSuchLiveFileException x -> VfsError.STALE;
            case PathOutsideExportException x -> VfsError.STALE;
            // A clustered node without a majority (or that lost its lock) changes nothing: try again later.
            case ClusterUnavailableException x -> VfsError.DELAY;
            default -> VfsError.IO;
        };
    }
}
