package org.fsnap.snapshot.history;

import java.time.Instant;
import org.fsnap.snapshot.clone.CloneStrategy;

/**
 * A snapshot as persisted in its history.
 *
 * @param serial       store-internal number naming the content file; never reused within a history, so a
 *                     name can be deleted and taken again without confusion
 * @param parentSerial the parent snapshot's serial, 0 for a root
 */
public record SnapshotRecord(long serial, String name, Instant created, long size, long parentSerial,
                             CloneStrategy strategy, Instant contentModified) {

    public SnapshotRecord withParent(long newParent) {
        return new SnapshotRecord(serial, name, created, size, newParent, strategy, contentModified);
    }
}
