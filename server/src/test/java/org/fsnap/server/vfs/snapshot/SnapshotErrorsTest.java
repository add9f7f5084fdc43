package org.fsnap.server.vfs.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fsnap.server.vfs.VfsError;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.SnapshotExistsException;
import org.junit.jupiter.api.Test;

class SnapshotErrorsTest {

    @Test
    void aClusterRefusalIsDelayAnExistingNameIsExist() {
        assertEquals(VfsError.DELAY, SnapshotErrors.of(new ClusterUnavailableException("no majority")).error());
        assertEquals(VfsError.EXIST, SnapshotErrors.of(new SnapshotExistsException("taken")).error());
    }
}
