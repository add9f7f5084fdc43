package org.fsnap.server.state;

import java.util.ArrayList;
import java.util.List;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;

/**
 * The byte-range locks held on one file (RFC 8881 section 9), with POSIX semantics for each
 * owner: a new lock replaces the owner's locks under it, touching locks of the same type
 * merge, and unlocking the middle of a lock splits it. Ranges are inclusive
 * [start, end] in unsigned 64-bit arithmetic; end {@link #TO_END} runs to the end of file.
 * Not thread-safe: {@link StateTable} guards it.
 */
final class ByteRangeLockTable {
    /** length4 all ones: up to the end of the file, however long it grows. */
    static final long TO_END = -1L;
    static final int READ_LT = 1;
    static final int WRITE_LT = 2;

    /** One lock: inclusive unsigned bounds. */
    record Lock(StateOwner owner, long start, long end, boolean write) {
        boolean overlaps(long s, long e) {
            return Long.compareUnsigned(start, e) <= 0 && Long.compareUnsigned(s, end) <= 0;
        }

        /** Whether this lock ends right before {@code s} or starts right after {@code e}. */
        boolean touches(long s, long e) {
            return (end != TO_END && end + 1 == s) || (e != TO_END && e + 1 == start);
        }

        Lock withRange(long s, long e) {
            return new Lock(owner, s, e, write);
        }

        LockDenied denied() {
            long length = end == TO_END ? TO_END : end - start + 1;
            return new LockDenied(start, length, write ? WRITE_LT : READ_LT, owner);
        }
    }

    private List<Lock> locks = new ArrayList<>();

    /**
     * The inclusive end of the range {offset, length}.
     *
     * @throws NfsException NFS4ERR_INVAL for a zero length or a range past 2^64 - 1
     *     (RFC 8881 section 18.10.3)
     */
    static long endOf(long offset, long length) throws NfsException {
        if (length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "zero-length lock range");
        }
        if (length == TO_END) {
            return TO_END;
        }
        if (Long.compareUnsigned(length, ~offset) > 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "lock range beyond 2^64");
        }
        return offset + length - 1;
    }

    /** The first lock of another owner that conflicts with the request, or null. */
    Lock conflict(StateOwner owner, long start, long end, boolean write) {
        for (Lock l : locks) {
            if (!l.owner.equals(owner) && (write || l.write) && l.overlaps(start, end)) {
                return l;
            }
        }
        return null;
    }

    /** Sets a lock for {@code owner} (conflicts already checked), POSIX style. */
    void lock(StateOwner owner, long start, long end, boolean write) {
        List<Lock> next = new ArrayList<>(locks.size() + 2);
        long s = start;
        long e = end;
        for (Lock l : locks) {
            if (!l.owner.equals(owner)) {
                next.add(l);
            } else if (l.write == write && (l.overlaps(start, end) || l.touches(start, end))) {
                s = minUnsigned(s, l.start);
                e = maxUnsigned(e, l.end);
            } else if (l.overlaps(start, end)) {
                keepOutside(l, start, end, next);
            } else {
                next.add(l);
            }
        }
        next.add(new Lock(owner, s, e, write));
        locks = next;
    }

    /** Releases {@code owner}'s locks within [start, end], splitting those that stick out. */
    void unlock(StateOwner owner, long start, long end) {
        List<Lock> next = new ArrayList<>(locks.size() + 1);
        for (Lock l : locks) {
            if (l.owner.equals(owner) && l.overlaps(start, end)) {
                keepOutside(l, start, end, next);
            } else {
                next.add(l);
            }
        }
        locks = next;
    }

    private static void keepOutside(Lock l, long start, long end, List<Lock> into) {
        if (Long.compareUnsigned(l.start, start) < 0) {
            into.add(l.withRange(l.start, start - 1));
        }
        if (end != TO_END && Long.compareUnsigned(l.end, end) > 0) {
            into.add(l.withRange(end + 1, l.end));
        }
    }

    boolean holdsAny(StateOwner owner) {
        for (Lock l : locks) {
            if (l.owner.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    void releaseAll(StateOwner owner) {
        locks.removeIf(l -> l.owner.equals(owner));
    }

    boolean isEmpty() {
        return locks.isEmpty();
    }

    /** The owner's locks, ordered by start (for tests and logs). */
    List<Lock> locksOf(StateOwner owner) {
        List<Lock> mine = new ArrayList<>();
        for (Lock l : locks) {
            if (l.owner.equals(owner)) {
                mine.add(l);
            }
        }
        mine.sort((a, b) -> Long.compareUnsigned(a.start, b.start));
        return mine;
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
