package org.fsnap.server.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.junit.jupiter.api.Test;

class ByteRangeLockTableTest {
    private static final long END = ByteRangeLockTable.TO_END;
    private final StateOwner a = new StateOwner(1, new byte[] {'a'});
    private final StateOwner b = new StateOwner(1, new byte[] {'b'});
    private final ByteRangeLockTable t = new ByteRangeLockTable();

    /** The owner's locks as "start-end:R|W" strings, ordered. */
    private String locks(StateOwner o) {
        StringBuilder s = new StringBuilder();
        for (ByteRangeLockTable.Lock l : t.locksOf(o)) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(Long.toUnsignedString(l.start())).append('-')
                    .append(l.end() == END ? "EOF" : Long.toUnsignedString(l.end()))
                    .append(l.write() ? ":W" : ":R");
        }
        return s.toString();
    }

    @Test
    void rangeChecks() throws NfsException {
        assertEquals(9, ByteRangeLockTable.endOf(0, 10));
        assertEquals(END, ByteRangeLockTable.endOf(5, END));
        assertEquals(-2L, ByteRangeLockTable.endOf(-2L, 1));
        assertEquals(-3L, ByteRangeLockTable.endOf(0, -2L)); // 2^64 - 2 bytes from 0
        NfsException zero = assertThrows(NfsException.class, () -> ByteRangeLockTable.endOf(0, 0));
        assertEquals(Nfs4Status.NFS4ERR_INVAL, zero.status());
        NfsException over = assertThrows(NfsException.class,
                () -> ByteRangeLockTable.endOf(2, -2L));
        assertEquals(Nfs4Status.NFS4ERR_INVAL, over.status());
    }

    @Test
    void sameTypeLocksMergeWhenTouchingOrOverlapping() {
        t.lock(a, 0, 9, true);
        t.lock(a, 10, 19, true); // adjacent
        assertEquals("0-19:W", locks(a));
        t.lock(a, 15, 30, true); // overlapping
        assertEquals("0-30:W", locks(a));
        t.lock(a, 40, 49, true); // a gap stays
        assertEquals("0-30:W 40-49:W", locks(a));
        t.lock(a, 31, 39, true); // fills the gap: one lock
        assertEquals("0-49:W", locks(a));
        t.lock(a, 100, END, true);
        t.lock(a, 50, 99, true);
        assertEquals("0-EOF:W", locks(a));
    }

    @Test
    void otherTypeInTheMiddleSplits() {
        t.lock(a, 0, 99, true);
        t.lock(a, 40, 59, false);
        assertEquals("0-39:W 40-59:R 60-99:W", locks(a));
        // Back to write: everything merges again.
        t.lock(a, 40, 59, true);
        assertEquals("0-99:W", locks(a));
        // Adjacent locks of different types stay apart.
        t.lock(a, 100, 109, false);
        assertEquals("0-99:W 100-109:R", locks(a));
        // A read lock over a write lock's edge replaces that part.
        t.lock(a, 90, 120, false);
        assertEquals("0-89:W 90-120:R", locks(a));
    }

    @Test
    void unlockSplitsAndTrims() {
        t.lock(a, 0, END, true);
        t.unlock(a, 100, 199);
        assertEquals("0-99:W 200-EOF:W", locks(a));
        t.unlock(a, 0, 0);
        assertEquals("1-99:W 200-EOF:W", locks(a));
        t.unlock(a, 150, END);
        assertEquals("1-99:W", locks(a));
        t.unlock(a, 50, 60);
        assertEquals("1-49:W 61-99:W", locks(a));
        assertTrue(t.holdsAny(a));
        t.unlock(a, 0, END);
        assertFalse(t.holdsAny(a));
        assertTrue(t.isEmpty());
    }

    @Test
    void conflictsOnlyWithOtherOwnersAndWriteInvolved() {
        t.lock(a, 10, 19, false);
        assertNull(t.conflict(b, 0, END, false), "read locks share");
        assertNotNull(t.conflict(b, 19, 19, true));
        assertNull(t.conflict(b, 20, 30, true), "just after");
        assertNull(t.conflict(b, 0, 9, true), "just before");
        assertNull(t.conflict(a, 0, END, true), "own locks never conflict");
        t.lock(b, 30, END, true);
        ByteRangeLockTable.Lock c = t.conflict(a, -1L, -1L, false);
        assertNotNull(c);
        LockDenied d = c.denied();
        assertEquals(30, d.offset());
        assertEquals(END, d.length());
        assertEquals(ByteRangeLockTable.WRITE_LT, d.lockType());
        assertEquals(b, d.owner());
    }

    @Test
    void upgradeAndDowngradeOfOwnLocksDoNotTouchOthers() {
        t.lock(a, 0, 9, false);
        t.lock(b, 0, 9, false);
        t.lock(a, 5, 5, false);
        assertEquals("0-9:R", locks(a));
        assertEquals("0-9:R", locks(b));
        t.releaseAll(a);
        assertEquals("", locks(a));
        assertEquals("0-9:R", locks(b));
        List<ByteRangeLockTable.Lock> rest = t.locksOf(b);
        assertEquals(1, rest.size());
    }
}
