package org.fsnap.snapshot.lock;

import org.fsnap.snapshot.FileKey;

/** What a {@link FileLocks} lock protects. */
public sealed interface LockKey {

    /**
     * A live file's inode: engine operations hold it exclusively, the NFS WRITE path shared, so a snapshot
     * or revert never interleaves with a write half-applied by this server. Hard links share it.
     * (A clustered implementation may key on the inode number alone: over-locking is harmless.)
     */
    record Inode(long device, long inode) implements LockKey {
    }

    /** A history in the store, which may outlive its inode (an orphan); always taken after the inode. */
    record History(FileKey key) implements LockKey {
    }
}
