package org.fsnap.server.vfs.snapshot;

import java.util.concurrent.ConcurrentHashMap;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;

/**
 * Makes a live file's change attribute move after a snapshot operation even when its ctime
 * did not: Linux stamps files from a coarse clock, so a write and a revert within one tick
 * (1-10 ms) leave the same ctime, and a client would keep the pre-revert data it cached.
 *
 * <p>When an operation leaves the raw change value where it was, the file is entered here
 * with that value as its base and a count; {@link #apply} then reports base + count for as
 * long as the raw value stays at the base. The next real change moves ctime by at least a
 * tick, far above base + count, and drops the entry, so the reported value keeps growing.
 * Entries are few (only same-tick operations create them) and the table is bounded.
 */
final class ChangeBumps {
    private static final int MAX_ENTRIES = 10_000;

    private record Bump(long base, long extra) {
    }

    private final ConcurrentHashMap<Inode, Bump> bumps = new ConcurrentHashMap<>();

    /** Records an operation that changed the file; {@code before}/{@code after} are raw values. */
    void changed(Inode file, long before, long after) {
        if (after != before) {
            Bump b = bumps.get(file);
            if (b != null && b.base != after) {
                bumps.remove(file, b);
            }
            return;
        }
        if (bumps.size() >= MAX_ENTRIES) {
            bumps.clear(); // only same-tick history is lost; real changes still show
        }
        bumps.merge(file, new Bump(after, 1),
                (old, fresh) -> old.base == after ? new Bump(after, old.extra + 1) : fresh);
    }

    /** Whether any file is bumped at all (cheap: READDIR asks once per page). */
    boolean any() {
        return !bumps.isEmpty();
    }

    /** The attributes to report: the raw ones, with the change attribute bumped if needed. */
    Stat apply(Inode inode, Stat st) {
        if (bumps.isEmpty()) {
            return st;
        }
        Bump b = bumps.get(inode);
        if (b == null) {
            return st;
        }
        if (b.base != st.change()) {
            bumps.remove(inode, b);
            return st;
        }
        return withChange(st, st.change() + b.extra);
    }

    static Stat withChange(Stat s, long change) {
        return new Stat(s.type(), s.fileId(), s.fsidMajor(), s.fsidMinor(), s.mode(), s.nlink(),
                s.uid(), s.gid(), s.size(), s.spaceUsed(), change, s.atimeNanos(), s.mtimeNanos(),
                s.ctimeNanos(), s.createTimeNanos(), s.rdevMajor(), s.rdevMinor());
    }
}
