package org.fsnap.snapshot;

import java.time.Instant;
import java.util.Optional;
import org.fsnap.snapshot.clone.CloneStrategy;

/**
 * One snapshot as shown to callers.
 *
 * @param name            the snapshot's name, unique within its file's history
 * @param created         when it was taken (UTC instant)
 * @param size            content size in bytes
 * @param parent          the snapshot the live content descended from when this one was taken
 * @param strategy        how its content was captured (FICLONE shares extents; the others copied)
 * @param contentModified the live file's mtime when the snapshot was taken (the snapshot's own mtime)
 * @param current         whether this is the file's current snapshot (last created or reverted to)
 */
public record SnapshotInfo(String name, Instant created, long size, Optional<String> parent,
                           CloneStrategy strategy, Instant contentModified, boolean current) {
}
