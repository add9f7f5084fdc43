package org.fsnap.snapshot.history;

/**
 * One change to a file's history, as appended to its log. Every event carries the history's metadata
 * version after the change, so replay and compare-and-set agree on numbering.
 */
public sealed interface HistoryEvent {

    long version();

    /** Start of a compacted log: the version and the next free serial. */
    record Base(long version, long nextSerial) implements HistoryEvent {
    }

    /** A snapshot was taken; it becomes the current snapshot. */
    record Created(long version, SnapshotRecord snapshot) implements HistoryEvent {
    }

    /** A snapshot was deleted; its children now descend from its parent. */
    record Deleted(long version, long serial) implements HistoryEvent {
    }

    /**
     * A revert is about to overwrite the live file (the journal intent). Until a matching
     * {@link CurrentChanged} follows, recovery re-applies it.
     *
     * @param inode    the live file's inode number, to be sure recovery writes onto the same file
     * @param location the live file's path relative to the export root
     */
    record RevertStarted(long version, long serial, long inode, String location) implements HistoryEvent {
    }

    /** The revert intent could not be completed and was dropped (the live file vanished). */
    record RevertAbandoned(long version) implements HistoryEvent {
    }

    /** The current snapshot changed (a finished revert; or restoring state in a compacted log). 0 = none. */
    record CurrentChanged(long version, long serial) implements HistoryEvent {
    }

    /** The live file was seen at a new path (relative to the export root). */
    record Located(long version, String location) implements HistoryEvent {
    }

    /** The live file's last link was removed; the history is now an orphan. */
    record LiveRemoved(long version) implements HistoryEvent {
    }
}
