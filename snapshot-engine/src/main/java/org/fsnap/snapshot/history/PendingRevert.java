package org.fsnap.snapshot.history;

/** A revert whose intent is logged but whose completion is not: it must be (re-)applied. */
public record PendingRevert(long serial, long inode, String location) {
}
