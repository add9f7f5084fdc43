package org.fsnap.server.ops.state;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.state.StateHarness.*;
import static org.fsnap.server.state.StateTable.ACCESS_BOTH;
import static org.fsnap.server.state.StateTable.ACCESS_READ;
import static org.fsnap.server.state.StateTable.ACCESS_WRITE;
import static org.fsnap.server.state.StateTable.DENY_NONE;
import static org.fsnap.server.state.StateTable.DENY_READ;
import static org.fsnap.server.state.StateTable.DENY_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Set;
import org.fsnap.server.attr.AttributeId;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.StateId;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenOperationTest {
    private static final Caller USER = Caller.of(1000, 1000);
    private static final Caller OTHER = Caller.of(2000, 2000);

    private StateHarness h;
    private Session session;
    private Inode dir;
    private Inode file;

    @BeforeEach
    void setUp() throws Exception {
        h = new StateHarness();
        session = h.session("client-a");
        dir = h.vfs.mkdir(h.vfs.root(), "dir", 0777, 0, 0);
        file = h.vfs.mkfile(dir, "file", 0644, 1000, 1000, new byte[] {1, 2, 3, 4});
    }

    private CompoundContext ctx(Caller caller, Inode current) {
        return h.ctx(session, caller, current);
    }

    private OpenOperation.Result open(CompoundContext ctx, XdrWriter args) throws Exception {
        OpResult r = run(OpenOperation::decode, args, ctx);
        assertEquals(NFS4_OK, r.status(), "OPEN status");
        return (OpenOperation.Result) r;
    }

    @Test
    void opensExistingFileAndSetsCurrentFhAndStateid() throws Exception {
        CompoundContext ctx = ctx(USER, dir);
        OpenOperation.Result r = open(ctx, openNoCreate("o1", ACCESS_READ, DENY_NONE, "file"));
        assertEquals(1, r.stateId().seqid());
        assertEquals(file, ctx.currentFh());
        assertEquals(r.stateId(), ctx.resolve(StateId.CURRENT));
        assertTrue(r.attrset().isEmpty());
        assertEquals(1, h.states.openCount(file));
        // rflags: LOCKTYPE_POSIX, never CONFIRM; delegation none.
        ByteBuffer b = encoded(r);
        b.position(4 + 16 + 20);
        assertEquals(OpenOperation.OPEN4_RESULT_LOCKTYPE_POSIX, b.getInt());
        assertEquals(0, b.getInt()); // empty attrset
        assertEquals(OpenOperation.OPEN_DELEGATE_NONE, b.getInt());
        assertFalse(b.hasRemaining());
    }

    @Test
    void sameOwnerOpensAgainUpgradesTheSameStateid() throws Exception {
        OpenOperation.Result first = open(ctx(USER, dir),
                openNoCreate("o1", ACCESS_READ, DENY_NONE, "file"));
        OpenOperation.Result second = open(ctx(USER, dir),
                openNoCreate("o1", ACCESS_WRITE, DENY_NONE, "file"));
        assertTrue(first.stateId().sameOther(second.stateId()));
        assertEquals(2, second.stateId().seqid());
        OpenOperation.Result other = open(ctx(USER, dir),
                openNoCreate("o2", ACCESS_READ, DENY_NONE, "file"));
        assertFalse(first.stateId().sameOther(other.stateId()));
    }

    @Test
    void wrongTypes() throws Exception {
        h.vfs.mkdir(dir, "sub", 0755, 0, 0);
        h.vfs.symlink(dir, "link", "file");
        h.vfs.create(Caller.root(), dir, "fifo", FileType.FIFO, SetAttributes.NONE, null);
        assertEquals(NFS4ERR_ISDIR, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "sub"), ctx(USER, dir)));
        assertEquals(NFS4ERR_SYMLINK, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "link"), ctx(USER, dir)));
        assertEquals(NFS4ERR_WRONG_TYPE, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "fifo"), ctx(USER, dir)));
        assertEquals(NFS4ERR_ISDIR, status(OpenOperation::decode,
                openByHandle("o", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_FH), ctx(USER, dir)));
        // CLAIM_NULL needs a directory.
        assertEquals(NFS4ERR_NOTDIR, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "x"), ctx(USER, file)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "file"), ctx(USER, null)));
        assertEquals(0, h.states.stateCount());
    }

    @Test
    void missingNamesAndBadNames() throws Exception {
        assertEquals(NFS4ERR_NOENT, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "nothing"), ctx(USER, dir)));
        assertEquals(NFS4ERR_BADNAME, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, ".."), ctx(USER, dir)));
        assertEquals(NFS4ERR_INVAL, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, ""), ctx(USER, dir)));
        assertEquals(NFS4ERR_NAMETOOLONG, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "n".repeat(256)), ctx(USER, dir)));
    }

    @Test
    void badShareValues() throws Exception {
        assertEquals(NFS4ERR_INVAL, status(OpenOperation::decode,
                openNoCreate("o", 0, DENY_NONE, "file"), ctx(USER, dir)));
        assertEquals(NFS4ERR_INVAL, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, 4, "file"), ctx(USER, dir)));
        assertEquals(NFS4ERR_INVAL, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ | 0x40000000, DENY_NONE, "file"), ctx(USER, dir)));
    }

    @Test
    void wantFlagsAreAcceptedAndAnsweredWithoutDelegation() throws Exception {
        int wantRead = 0x0100;
        OpenOperation.Result r = open(ctx(USER, dir),
                openNoCreate("o", ACCESS_READ | wantRead, DENY_NONE, "file"));
        ByteBuffer b = encoded(r);
        b.position(4 + 16 + 20 + 4 + 4);
        assertEquals(OpenOperation.OPEN_DELEGATE_NONE_EXT, b.getInt());
        assertEquals(OpenOperation.WND4_RESOURCE, b.getInt());
        assertEquals(0, b.getInt()); // will not signal
        assertFalse(b.hasRemaining());

        r = open(ctx(USER, dir), openNoCreate("o", ACCESS_READ | OpenOperation.WANT_NO_DELEG,
                DENY_NONE, "file"));
        b = encoded(r);
        b.position(4 + 16 + 20 + 4 + 4);
        assertEquals(OpenOperation.OPEN_DELEGATE_NONE_EXT, b.getInt());
        assertEquals(OpenOperation.WND4_NOT_WANTED, b.getInt());
        assertFalse(b.hasRemaining());
    }

    @Test
    void permissionsOfExistingFiles() throws Exception {
        Inode secret = h.vfs.mkfile(dir, "secret", 0600, 1000, 1000, new byte[0]);
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "secret"), ctx(OTHER, dir)));
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_BOTH, DENY_NONE, "secret"), ctx(USER, dir)));
        // 0644 of uid 1000: others may read, not write.
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode,
                openNoCreate("o2", ACCESS_WRITE, DENY_NONE, "file"), ctx(OTHER, dir)));
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("o2", ACCESS_READ, DENY_NONE, "file"), ctx(OTHER, dir)));
        assertEquals(1, h.states.openCount(secret));
    }

    @Test
    void creatorMayOpenForWritingWhateverModeItCreated() throws Exception {
        CompoundContext ctx = ctx(USER, dir);
        OpenOperation.Result r = open(ctx, openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, 0444, null, "ro"));
        Inode created = ctx.currentFh();
        Stat st = h.vfs.getattr(created);
        assertEquals(0444, st.mode());
        assertEquals(1000, st.uid());
        assertTrue(r.attrset().isSet(AttributeId.MODE));
        assertTrue(r.cinfo().after() != r.cinfo().before());
        // WRITE through that open succeeds although the mode forbids it.
        assertEquals(NFS4_OK, status(WriteOperation::decode,
                write(r.stateId(), 0, 2, new byte[] {9}), h.ctx(session, USER, created)));
        // A later open for writing by the same user is refused, as POSIX would.
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode,
                openNoCreate("o2", ACCESS_WRITE, DENY_NONE, "ro"), ctx(USER, dir)));
    }

    @Test
    void uncheckedOnExistingFileTruncatesOnlyForSizeZero() throws Exception {
        OpenOperation.Result r = open(ctx(USER, dir), openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, 0600, null, "file"));
        assertEquals(4, h.vfs.getattr(file).size());
        assertEquals(0644, h.vfs.getattr(file).mode()); // createattrs ignored
        assertTrue(r.attrset().isEmpty());
        r = open(ctx(USER, dir), openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, null, 0L, "file"));
        assertEquals(0, h.vfs.getattr(file).size());
        assertTrue(r.attrset().isSet(AttributeId.SIZE));
    }

    @Test
    void failedTruncationTakesTheOpenBack() throws Exception {
        // OTHER may read the 0644 file, so the open is granted, but not truncate it.
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode, openCreate("o", ACCESS_READ,
                DENY_NONE, OpenOperation.UNCHECKED4, null, 0L, "file"), ctx(OTHER, dir)));
        assertEquals(0, h.states.openCount(file));
        assertEquals(4, h.vfs.getattr(file).size());
    }

    @Test
    void guardedCreateOfExistingNameIsExist() throws Exception {
        assertEquals(NFS4ERR_EXIST, status(OpenOperation::decode, openCreate("o", ACCESS_READ,
                DENY_NONE, OpenOperation.GUARDED4, 0644, null, "file"), ctx(USER, dir)));
        assertEquals(NFS4_OK, status(OpenOperation::decode, openCreate("o", ACCESS_READ,
                DENY_NONE, OpenOperation.GUARDED4, 0644, null, "new"), ctx(USER, dir)));
        assertTrue(h.vfs.exists(dir, "new"));
    }

    @Test
    void createInDirectoryWithoutWritePermissionIsAccess() throws Exception {
        Inode locked = h.vfs.mkdir(dir, "locked", 0755, 0, 0);
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode, openCreate("o", ACCESS_READ,
                DENY_NONE, OpenOperation.UNCHECKED4, 0644, null, "x"), ctx(USER, locked)));
    }

    @Test
    void exclusive41RetransmissionSucceedsOtherVerifierIsExist() throws Exception {
        long verifier = 0x0123456789abcdefL;
        CompoundContext ctx = ctx(USER, dir);
        OpenOperation.Result first = open(ctx, openExclusive41("o", ACCESS_BOTH, verifier, 0400,
                "excl"));
        Inode created = ctx.currentFh();
        assertEquals(0400, h.vfs.getattr(created).mode());
        assertTrue(first.attrset().isSet(AttributeId.TIME_ACCESS));
        assertTrue(first.attrset().isSet(AttributeId.TIME_MODIFY));
        assertTrue(first.attrset().isSet(AttributeId.MODE));

        // The reply was lost; the client sends the same OPEN again.
        CompoundContext again = ctx(USER, dir);
        OpenOperation.Result second = open(again, openExclusive41("o", ACCESS_BOTH, verifier,
                0400, "excl"));
        assertEquals(created, again.currentFh());
        assertTrue(first.stateId().sameOther(second.stateId()));
        assertEquals(first.attrset(), second.attrset());

        assertEquals(NFS4ERR_EXIST, status(OpenOperation::decode,
                openExclusive41("o", ACCESS_BOTH, verifier + 1, 0400, "excl"), ctx(USER, dir)));
        assertEquals(NFS4ERR_EXIST, status(OpenOperation::decode,
                openExclusive41("o", ACCESS_BOTH, verifier, 0400, "file"), ctx(USER, dir)));
    }

    @Test
    void exclusive41RefusesTimesInCreateattrs() throws Exception {
        XdrWriter w = openHead("o", ACCESS_BOTH, DENY_NONE).writeInt(OpenOperation.OPEN4_CREATE)
                .writeInt(OpenOperation.EXCLUSIVE4_1).writeLong(7);
        // time_modify_set (54) = SET_TO_SERVER_TIME4
        w.writeBitmap(0, 1 << (54 - 32)).writeOpaque(new XdrWriter().writeInt(0).toByteArray());
        w.writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8("t"));
        assertEquals(NFS4ERR_INVAL, status(OpenOperation::decode, w, ctx(USER, dir)));
        assertFalse(h.vfs.exists(dir, "t"));
    }

    @Test
    void exclusive4IsSupportedToo() throws Exception {
        XdrWriter w = openHead("o", ACCESS_BOTH, DENY_NONE).writeInt(OpenOperation.OPEN4_CREATE)
                .writeInt(OpenOperation.EXCLUSIVE4).writeLong(42)
                .writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8("e4"));
        assertEquals(NFS4_OK, status(OpenOperation::decode, w, ctx(USER, dir)));
        XdrWriter again = openHead("o", ACCESS_BOTH, DENY_NONE)
                .writeInt(OpenOperation.OPEN4_CREATE).writeInt(OpenOperation.EXCLUSIVE4)
                .writeLong(42).writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8("e4"));
        assertEquals(NFS4_OK, status(OpenOperation::decode, again, ctx(USER, dir)));
    }

    @Test
    void shareReservationsConflict() throws Exception {
        Session other = h.session("client-b");
        open(ctx(USER, dir), openNoCreate("a", ACCESS_READ, DENY_WRITE, "file"));
        // Another owner of the same client, and another client: both conflict.
        assertEquals(NFS4ERR_SHARE_DENIED, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_WRITE, DENY_NONE, "file"), ctx(USER, dir)));
        assertEquals(NFS4ERR_SHARE_DENIED, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_BOTH, DENY_NONE, "file"), h.ctx(other, USER, dir)));
        assertEquals(NFS4ERR_SHARE_DENIED, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_READ, DENY_READ, "file"), h.ctx(other, USER, dir)));
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_READ, DENY_NONE, "file"), h.ctx(other, USER, dir)));
        // The owner itself may add write access: its own deny does not count against it.
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("a", ACCESS_WRITE, DENY_NONE, "file"), ctx(USER, dir)));
        assertEquals(2, h.states.openCount(file));
    }

    @Test
    void claimFhOpensTheCurrentFile() throws Exception {
        CompoundContext ctx = ctx(USER, file);
        OpenOperation.Result r = open(ctx, openByHandle("o", ACCESS_READ, DENY_NONE,
                OpenOperation.CLAIM_FH));
        assertEquals(file, ctx.currentFh());
        assertEquals(r.stateId(), ctx.resolve(StateId.CURRENT));
    }

    @Test
    void delegationClaims() throws Exception {
        XdrWriter prev = openHead("o", ACCESS_READ, DENY_NONE)
                .writeInt(OpenOperation.OPEN4_NOCREATE).writeInt(OpenOperation.CLAIM_DELEGATE_PREV)
                .writeOpaque(utf8("file"));
        assertEquals(NFS4ERR_NOTSUPP, status(OpenOperation::decode, prev, ctx(USER, dir)));
        XdrWriter prevFh = openHead("o", ACCESS_READ, DENY_NONE)
                .writeInt(OpenOperation.OPEN4_NOCREATE).writeInt(OpenOperation.CLAIM_DELEG_PREV_FH);
        assertEquals(NFS4ERR_NOTSUPP, status(OpenOperation::decode, prevFh, ctx(USER, file)));
        XdrWriter cur = stateid(openHead("o", ACCESS_READ, DENY_NONE)
                .writeInt(OpenOperation.OPEN4_NOCREATE).writeInt(OpenOperation.CLAIM_DELEG_CUR_FH),
                new StateId(1, ByteBuffer.allocate(12).putInt(h.identity.bootEpoch()).putLong(99)
                        .array()));
        assertEquals(NFS4ERR_BAD_STATEID, status(OpenOperation::decode, cur, ctx(USER, file)));
    }

    @Test
    void graceRulesForOpen() throws Exception {
        byte[] previous = utf8("old-client");
        StateHarness g = new StateHarness(Set.of(previous), 60_000_000_000L);
        Inode d = g.vfs.mkdir(g.vfs.root(), "d", 0777, 0, 0);
        Inode f = g.vfs.mkfile(d, "f", 0666, 1000, 1000, new byte[0]);
        Session reclaimer = g.session("old-client");
        Session newcomer = g.session("new-client");
        assertTrue(reclaimer.client().isReclaiming());

        // Non-reclaim opens wait for the grace period to end.
        assertEquals(NFS4ERR_GRACE, status(OpenOperation::decode,
                openNoCreate("o", ACCESS_READ, DENY_NONE, "f"), g.ctx(reclaimer, USER, d)));
        assertEquals(NFS4ERR_GRACE, status(OpenOperation::decode,
                openByHandle("o", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_FH),
                g.ctx(newcomer, USER, f)));
        // Reclaims: by a client that held state, yes; by one that did not, RECLAIM_BAD.
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openByHandle("o", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_PREVIOUS),
                g.ctx(reclaimer, USER, f)));
        assertEquals(NFS4ERR_RECLAIM_BAD, status(OpenOperation::decode,
                openByHandle("o", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_PREVIOUS),
                g.ctx(newcomer, USER, f)));
        // After RECLAIM_COMPLETE, no more reclaims.
        reclaimer.client().setReclaimComplete();
        assertEquals(NFS4ERR_NO_GRACE, status(OpenOperation::decode,
                openByHandle("o2", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_PREVIOUS),
                g.ctx(reclaimer, USER, f)));
    }

    @Test
    void reclaimOutsideGraceIsNoGrace() throws Exception {
        assertEquals(NFS4ERR_NO_GRACE, status(OpenOperation::decode,
                openByHandle("o", ACCESS_READ, DENY_NONE, OpenOperation.CLAIM_PREVIOUS),
                ctx(USER, file)));
    }

    @Test
    void openOfAnotherClientsStateIsSeparate() throws Exception {
        Session other = h.session("client-b");
        OpenOperation.Result a = open(ctx(USER, dir), openNoCreate("same", ACCESS_READ, DENY_NONE,
                "file"));
        OpenOperation.Result b = open(h.ctx(other, USER, dir), openNoCreate("same", ACCESS_READ,
                DENY_NONE, "file"));
        assertNotEquals(ByteBuffer.wrap(a.stateId().other()), ByteBuffer.wrap(b.stateId().other()));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, readAll(other, b.stateId()));
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode, read(b.stateId(), 0, 1),
                ctx(USER, file)));
    }

    private byte[] readAll(Session s, StateId id) throws Exception {
        OpResult r = run(ReadOperation::decode, read(id, 0, 100), h.ctx(s, USER, file));
        assertEquals(NFS4_OK, r.status());
        ByteBuffer data = ((ReadOperation.Result) r).data().duplicate();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }
}
