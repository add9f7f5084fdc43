package org.fsnap.server.schedule;

import java.nio.file.Path;
import java.util.List;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotInfo;

/** The snapshot engine operations the scheduler uses; a fake stands in for it in tests. */
public interface SnapshotOps {

    void create(Path file, String name) throws SnapshotException;

    /** Oldest first. */
    List<SnapshotInfo> list(Path file) throws SnapshotException;

    /** Deletes one snapshot; the engine re-parents its children to its parent. */
    void delete(Path file, String name) throws SnapshotException;

    static SnapshotOps of(SnapshotEngine engine) {
        return new SnapshotOps() {
            @Override
            public void create(Path file, String name) throws SnapshotException {
                engine.create(file, name);
            }

            @Override
            public List<SnapshotInfo> list(Path file) throws SnapshotException {
                return engine.list(file);
            }

            @Override
            public void delete(Path file, String name) throws SnapshotException {
                engine.delete(file, name);
            }
        };
    }
}
