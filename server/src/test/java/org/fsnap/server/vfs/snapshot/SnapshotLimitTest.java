package org.fsnap.server.vfs.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Too many snapshots of one file: EDQUOT (NFS4ERR_DQUOT), as the README documents. */
@Timeout(60)
class SnapshotLimitTest extends SnapshotStackSupport {
    @Override
    protected int maxSnapshots() {
        return 2;
    }

    @Test
    void pastTheLimitIsDquot() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "a");
        control(ALICE, f, "fsnap.create", "b");
        assertVfs(VfsError.DQUOT, () -> control(ALICE, f, "fsnap.create", "c"));
        control(ALICE, f, "fsnap.delete", "a");
        control(ALICE, f, "fsnap.create", "c");
        assertEquals("b\nc\n", query(ALICE, f, "fsnap.list"));
    }
}
