package org.fsnap.server;

import java.nio.file.Path;
import org.fsnap.server.vfs.snapshot.SnapshotStack;

/** One export served with snapshots: the directory as configured, and its filesystem stack. */
public record SnapshotExport(Path export, SnapshotStack stack) {
}
