package org.fsnap.server.ops.state;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.state.StateHarness.*;
import static org.fsnap.server.state.StateTable.ACCESS_BOTH;
import static org.fsnap.server.state.StateTable.ACCESS_READ;
import static org.fsnap.server.state.StateTable.DENY_NONE;
import static org.fsnap.server.state.StateTable.READW_LT;
import static org.fsnap.server.state.StateTable.READ_LT;
import static org.fsnap.server.state.StateTable.TO_END;
import static org.fsnap.server.state.StateTable.WRITEW_LT;
import static org.fsnap.server.state.StateTable.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Set;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.state.LockDenied;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.StateId;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LOCK, LOCKT, LOCKU, FREE_STATEID, TEST_STATEID, DELEGRETURN and client removal. */
class LockOperationsTest {
    private static final Caller USER = Caller.of(1000, 1000);

    private StateHarness h;
    private Session a;
    private Session b;
    private Inode dir;
    private Inode file;
    private Inode file2;
    private StateId openA;
    private StateId openB;

    @BeforeEach
    void setUp() throws Exception {
        h = new StateHarness();
        a = h.session("client-a");
        b = h.session("client-b");
        dir = h.vfs.mkdir(h.vfs.root(), "dir", 0777, 0, 0);
        file = h.vfs.mkfile(dir, "file", 0666, 1000, 1000, new byte[100]);
        file2 = h.vfs.mkfile(dir, "file2", 0666, 1000, 1000, new byte[100]);
        openA = open(a, "oa", ACCESS_BOTH, "file");
        openB = open(b, "ob", ACCESS_BOTH, "file");
    }

    private StateId open(Session s, String owner, int access, String name) throws Exception {
        OpResult r = run(OpenOperation::decode, openNoCreate(owner, access, DENY_NONE, name),
                h.ctx(s, USER, dir));
        assertEquals(NFS4_OK, r.status());
        return ((OpenOperation.Result) r).stateId();
    }

    private CompoundContext ctx(Session s) {
        return h.ctx(s, USER, file);
    }

    private StateId lock(Session s, XdrWriter args) throws Exception {
        OpResult r = run(LockOperation::decode, args, ctx(s));
        assertEquals(NFS4_OK, r.status(), "LOCK");
        return ((LockResult) r).stateId();
    }

    @Test
    void newLockOwnerThenExistingLockStateid() throws Exception {
        CompoundContext ctx = ctx(a);
        OpResult r = run(LockOperation::decode, lockNew(WRITE_LT, 0, 10, openA, "la"), ctx);
        assertEquals(NFS4_OK, r.status());
        StateId lock = ((LockResult) r).stateId();
        assertEquals(1, lock.seqid());
        assertFalse(lock.sameOther(openA));
        assertEquals(lock, ctx.resolve(StateId.CURRENT));
        ByteBuffer enc = encoded(r);
        assertEquals(4 + 16, enc.remaining());

        StateId next = lock(a, lockExisting(READ_LT, 20, 5, lock));
        assertTrue(next.sameOther(lock));
        assertEquals(2, next.seqid());
        // The same owner again through open_to_lock_owner4 gets the same lock stateid.
        StateId again = lock(a, lockNew(WRITE_LT, 40, 1, openA, "la"));
        assertTrue(again.sameOther(lock));
        assertEquals(3, again.seqid());
        // A lock stateid also authorises I/O.
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(again, 0, 10), ctx(a)));
    }

    @Test
    void conflictIsDeniedWithTheHolder() throws Exception {
        lock(a, lockNew(WRITE_LT, 100, 50, openA, "holder"));
        OpResult r = run(LockOperation::decode, lockNew(READ_LT, 120, 1, openB, "lb"), ctx(b));
        assertEquals(NFS4ERR_DENIED, r.status());
        LockDenied d = ((LockResult) r).denied();
        assertEquals(100, d.offset());
        assertEquals(50, d.length());
        assertEquals(WRITE_LT, d.lockType());
        assertEquals(a.client().clientId(), d.owner().clientId());
        assertArrayEquals(utf8("holder"), d.owner().owner());
        ByteBuffer enc = encoded(r);
        assertEquals(NFS4ERR_DENIED, enc.getInt());
        assertEquals(100, enc.getLong());
        assertEquals(50, enc.getLong());
        assertEquals(WRITE_LT, enc.getInt());
        assertEquals(a.client().clientId(), enc.getLong());
        assertEquals(6, enc.getInt());
        // Nothing was created for the denied owner.
        assertEquals(3, h.states.stateCount());
        // Outside the range, and blocking types, behave as expected.
        assertNotNull(lock(b, lockNew(WRITEW_LT, 150, 10, openB, "lb")));
        assertEquals(NFS4ERR_DENIED, status(LockOperation::decode,
                lockNew(READW_LT, 0, TO_END, openB, "lb2"), ctx(b)));
    }

    @Test
    void readLocksShareWriteLocksDoNot() throws Exception {
        lock(a, lockNew(READ_LT, 0, TO_END, openA, "la"));
        lock(b, lockNew(READ_LT, 10, 10, openB, "lb"));
        OpResult r = run(LockOperation::decode, lockNew(WRITE_LT, 5, 1, openB, "lb2"), ctx(b));
        assertEquals(NFS4ERR_DENIED, r.status());
        assertEquals(TO_END, ((LockResult) r).denied().length());
        assertEquals(READ_LT, ((LockResult) r).denied().lockType());
        // Two owners of the same client conflict as well.
        assertEquals(NFS4ERR_DENIED, status(LockOperation::decode,
                lockNew(WRITE_LT, 5, 1, openA, "la2"), ctx(a)));
    }

    @Test
    void badRangesAndTypes() throws Exception {
        assertEquals(NFS4ERR_INVAL, status(LockOperation::decode,
                lockNew(WRITE_LT, 0, 0, openA, "la"), ctx(a)));
        assertEquals(NFS4ERR_INVAL, status(LockOperation::decode,
                lockNew(WRITE_LT, -2, 5, openA, "la"), ctx(a)));
        assertEquals(NFS4ERR_INVAL, status(LockOperation::decode,
                lockNew(5, 0, 1, openA, "la"), ctx(a)));
        // Offset + length exactly 2^64 - 1 is fine; TO_END from anywhere too.
        assertNotNull(lock(a, lockNew(WRITE_LT, -2, 1, openA, "la")));
        assertNotNull(lock(a, lockNew(WRITE_LT, 1000, TO_END, openA, "la")));
        assertEquals(NFS4ERR_INVAL, status(LocktOperation::decode,
                lockt(WRITE_LT, 2, -2, "x"), ctx(b)));
        assertEquals(0, status(LocktOperation::decode, lockt(READ_LT, 1, 1, "x"), ctx(b)));
    }

    @Test
    void lockStateidErrors() throws Exception {
        StateId lock = lock(a, lockNew(WRITE_LT, 0, 1, openA, "la"));
        // An open stateid where a lock stateid belongs, and the reverse.
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 5, 1, openA), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockNew(WRITE_LT, 5, 1, lock, "lx"), ctx(a)));
        // Another client's, another file's, old and future seqids.
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 5, 1, lock), ctx(b)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 5, 1, lock), h.ctx(a, USER, file2)));
        StateId next = lock(a, lockExisting(WRITE_LT, 5, 1, lock));
        assertEquals(NFS4ERR_OLD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 7, 1, lock), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 7, 1, new StateId(next.seqid() + 1, next.other())),
                ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockOperation::decode,
                lockExisting(WRITE_LT, 7, 1, StateId.ANONYMOUS), ctx(a)));
        assertEquals(NFS4ERR_ISDIR, status(LockOperation::decode,
                lockExisting(WRITE_LT, 7, 1, next), h.ctx(a, USER, dir)));
    }

    @Test
    void lockModeMustMatchOpenMode() throws Exception {
        StateId readOnly = open(a, "ro", ACCESS_READ, "file2");
        assertEquals(NFS4ERR_OPENMODE, status(LockOperation::decode,
                lockNew(WRITE_LT, 0, 1, readOnly, "l"), h.ctx(a, USER, file2)));
        assertEquals(NFS4_OK, status(LockOperation::decode,
                lockNew(READ_LT, 0, 1, readOnly, "l"), h.ctx(a, USER, file2)));
    }

    @Test
    void locktCreatesNoState() throws Exception {
        lock(a, lockNew(WRITE_LT, 10, 10, openA, "la"));
        int states = h.states.stateCount();
        OpResult r = run(LocktOperation::decode, lockt(READ_LT, 0, 11, "someone"), ctx(b));
        assertEquals(NFS4ERR_DENIED, r.status());
        assertEquals(10, ((LockResult) r).denied().offset());
        // The holder itself is never denied by its own lock.
        assertEquals(NFS4_OK, status(LocktOperation::decode, lockt(WRITE_LT, 0, 100, "la"),
                ctx(a)));
        assertEquals(NFS4_OK, status(LocktOperation::decode, lockt(WRITE_LT, 20, 1, "x"),
                ctx(b)));
        assertEquals(states, h.states.stateCount());
        assertEquals(4, encoded(run(LocktOperation::decode, lockt(WRITE_LT, 20, 1, "x"), ctx(b)))
                .remaining());
    }

    @Test
    void unlockSplitsAndFreesTheRange() throws Exception {
        StateId lock = lock(a, lockNew(WRITE_LT, 0, 100, openA, "la"));
        CompoundContext ctx = ctx(a);
        OpResult r = run(LockuOperation::decode, locku(WRITE_LT, lock, 40, 20), ctx);
        assertEquals(NFS4_OK, r.status());
        StateId after = ((StateIdResult) r).stateId();
        assertEquals(2, after.seqid());
        assertEquals(after, ctx.resolve(StateId.CURRENT));
        assertEquals(NFS4_OK, status(LocktOperation::decode, lockt(WRITE_LT, 40, 20, "x"),
                ctx(b)));
        assertEquals(NFS4ERR_DENIED, status(LocktOperation::decode, lockt(WRITE_LT, 39, 1, "x"),
                ctx(b)));
        assertEquals(NFS4ERR_DENIED, status(LocktOperation::decode, lockt(WRITE_LT, 60, 1, "x"),
                ctx(b)));
        // Unlocking what is not locked is fine; a bad range is not.
        assertEquals(NFS4_OK, status(LockuOperation::decode, locku(READ_LT, after, 500, 1),
                ctx(a)));
        assertEquals(NFS4ERR_INVAL, status(LockuOperation::decode,
                locku(READ_LT, new StateId(0, after.other()), 5, 0), ctx(a)));
        assertEquals(NFS4ERR_OLD_STATEID, status(LockuOperation::decode,
                locku(READ_LT, lock, 0, 1), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockuOperation::decode,
                locku(READ_LT, openA, 0, 1), ctx(a)));
    }

    @Test
    void freeStateid() throws Exception {
        StateId lock = lock(a, lockNew(WRITE_LT, 0, 10, openA, "la"));
        assertEquals(NFS4ERR_LOCKS_HELD, status(FreeStateidOperation::decode, single(lock),
                ctx(a)));
        assertEquals(NFS4ERR_LOCKS_HELD, status(FreeStateidOperation::decode, single(openA),
                ctx(a)));
        OpResult u = run(LockuOperation::decode, locku(WRITE_LT, lock, 0, TO_END), ctx(a));
        StateId unlocked = ((StateIdResult) u).stateId();
        // Still valid after the last unlock (RFC 8881 section 8.2.4) ...
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(unlocked, 0, 1), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(FreeStateidOperation::decode, single(unlocked),
                ctx(b)));
        // ... until freed.
        assertEquals(NFS4_OK, status(FreeStateidOperation::decode, single(unlocked), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode, read(unlocked, 0, 1),
                ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(FreeStateidOperation::decode, single(unlocked),
                ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(FreeStateidOperation::decode,
                single(StateId.ANONYMOUS), ctx(a)));
    }

    @Test
    void closeReleasesTheLocksOfItsLockStates() throws Exception {
        StateId lock = lock(a, lockNew(WRITE_LT, 0, 10, openA, "la"));
        assertEquals(NFS4_OK, status(CloseOperation::decode, close(openA), ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(LockuOperation::decode,
                locku(WRITE_LT, lock, 0, 10), ctx(a)));
        assertEquals(NFS4_OK, status(LocktOperation::decode, lockt(WRITE_LT, 0, 10, "x"),
                ctx(b)));
    }

    @Test
    void testStateid() throws Exception {
        StateId lock = lock(a, lockNew(WRITE_LT, 0, 10, openA, "la"));
        lock(a, lockExisting(WRITE_LT, 20, 10, lock));
        byte[] unknown = ByteBuffer.allocate(12).putInt(h.identity.bootEpoch()).putLong(999)
                .array();
        XdrWriter args = new XdrWriter().writeInt(6);
        stateid(args, openA);
        stateid(args, lock); // superseded seqid
        stateid(args, new StateId(0, lock.other()));
        stateid(args, new StateId(1, unknown));
        stateid(args, StateId.ANONYMOUS);
        stateid(args, openB); // another client's
        OpResult r = run(TestStateidOperation::decode, args, ctx(a));
        assertEquals(NFS4_OK, r.status());
        assertArrayEquals(new int[] {NFS4_OK, NFS4ERR_OLD_STATEID, NFS4_OK, NFS4ERR_BAD_STATEID,
                NFS4ERR_BAD_STATEID, NFS4ERR_BAD_STATEID}, ((TestStateidOperation.Result) r).codes());
        ByteBuffer enc = encoded(r);
        assertEquals(4 + 4 + 6 * 4, enc.remaining());
    }

    @Test
    void delegReturnAndDirDelegation() throws Exception {
        assertEquals(NFS4ERR_BAD_STATEID, status(DelegReturnOperation::decode, single(openA),
                ctx(a)));
        assertEquals(NFS4ERR_BAD_STATEID, status(DelegReturnOperation::decode,
                single(StateId.ANONYMOUS), ctx(a)));
        byte[] stale = openA.other();
        ByteBuffer.wrap(stale).putInt(0, h.identity.bootEpoch() + 1);
        assertEquals(NFS4ERR_STALE_STATEID, status(DelegReturnOperation::decode,
                single(new StateId(1, stale)), ctx(a)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(DelegReturnOperation::decode, single(openA),
                h.ctx(a, USER, null)));

        XdrWriter gdd = new XdrWriter().writeBoolean(false).writeBitmap(1).writeLong(0)
                .writeInt(0).writeLong(0).writeInt(0).writeBitmap().writeBitmap();
        OpResult r = run(GetDirDelegationOperation::decode, gdd, h.ctx(a, USER, dir));
        ByteBuffer enc = encoded(r);
        assertEquals(NFS4_OK, enc.getInt());
        assertEquals(GetDirDelegationOperation.GDD4_UNAVAIL, enc.getInt());
        assertEquals(0, enc.getInt());
        assertFalse(enc.hasRemaining());
        XdrWriter gdd2 = new XdrWriter().writeBoolean(false).writeBitmap(1).writeLong(0)
                .writeInt(0).writeLong(0).writeInt(0).writeBitmap().writeBitmap();
        assertEquals(NFS4ERR_NOTDIR, status(GetDirDelegationOperation::decode, gdd2, ctx(a)));
    }

    @Test
    void removedClientLosesItsOpensAndLocks() throws Exception {
        lock(a, lockNew(WRITE_LT, 0, TO_END, openA, "la"));
        assertEquals(NFS4ERR_DENIED, status(LocktOperation::decode, lockt(WRITE_LT, 0, 1, "x"),
                ctx(b)));
        h.sessions.destroy(a);
        h.clients.destroy(a.client());
        assertEquals(NFS4_OK, status(LocktOperation::decode, lockt(WRITE_LT, 0, 1, "x"),
                ctx(b)));
        assertEquals(1, h.states.openCount(file));
        // Lease expiry does the same for the other client.
        h.clients.expire(System.nanoTime() + 1_000_000_000_000L, 1);
        assertEquals(0, h.states.stateCount());
    }

    @Test
    void graceRulesForLocks() throws Exception {
        StateHarness g = new StateHarness(Set.of(utf8("old-client")), 60_000_000_000L);
        Inode d = g.vfs.mkdir(g.vfs.root(), "d", 0777, 0, 0);
        Inode f = g.vfs.mkfile(d, "f", 0666, 1000, 1000, new byte[10]);
        Session old = g.session("old-client");
        OpResult o = run(OpenOperation::decode,
                openByHandle("o", ACCESS_BOTH, DENY_NONE, OpenOperation.CLAIM_PREVIOUS),
                g.ctx(old, USER, f));
        assertEquals(NFS4_OK, o.status());
        StateId open = ((OpenOperation.Result) o).stateId();
        assertEquals(NFS4ERR_GRACE, status(LockOperation::decode,
                lockNew(WRITE_LT, 0, 1, open, "l"), g.ctx(old, USER, f)));
        assertEquals(NFS4ERR_GRACE, status(LocktOperation::decode, lockt(WRITE_LT, 0, 1, "l"),
                g.ctx(old, USER, f)));
        assertEquals(NFS4_OK, status(LockOperation::decode,
                lockNewReclaim(WRITE_LT, 0, 1, open, "l"), g.ctx(old, USER, f)));
        // Reclaim outside the grace period.
        assertEquals(NFS4ERR_NO_GRACE, status(LockOperation::decode,
                lockNewReclaim(WRITE_LT, 50, 1, openA, "l"), ctx(a)));
    }

    @Test
    void lockDeniedEncodesOnlyForDenied() throws Exception {
        assertEquals(4, encoded(LockResult.failed(NFS4ERR_BAD_STATEID)).remaining());
        assertNull(LockResult.failed(NFS4ERR_DENIED).denied());
        assertEquals(4, encoded(new LockOperationProbe().failure()).remaining());
    }

    /** The processor's view of a LOCK that threw. */
    private static final class LockOperationProbe {
        OpResult failure() throws Exception {
            return decode(LockOperation::decode, lockNew(WRITE_LT, 0, 1, StateId.ANONYMOUS, "x"))
                    .failure(NFS4ERR_GRACE);
        }
    }
}
