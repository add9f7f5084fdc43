package org.fsnap.server.ops.state;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.state.StateHarness.*;
import static org.fsnap.server.state.StateTable.ACCESS_BOTH;
import static org.fsnap.server.state.StateTable.ACCESS_READ;
import static org.fsnap.server.state.StateTable.ACCESS_WRITE;
import static org.fsnap.server.state.StateTable.DENY_BOTH;
import static org.fsnap.server.state.StateTable.DENY_NONE;
import static org.fsnap.server.state.StateTable.DENY_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.state.ChannelAttributes;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.StateId;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** READ, WRITE, COMMIT, CLOSE, OPEN_DOWNGRADE and the stateid checks they share. */
class IoOperationsTest {
    private static final Caller USER = Caller.of(1000, 1000);
    private static final Caller OTHER = Caller.of(2000, 2000);
    private static final byte[] CONTENT = {10, 20, 30, 40, 50};

    private StateHarness h;
    private Session session;
    private Inode dir;
    private Inode file;
    private Inode file2;

    @BeforeEach
    void setUp() throws Exception {
        h = new StateHarness();
        session = h.session("client-a");
        dir = h.vfs.mkdir(h.vfs.root(), "dir", 0777, 0, 0);
        file = h.vfs.mkfile(dir, "file", 0644, 1000, 1000, CONTENT);
        file2 = h.vfs.mkfile(dir, "file2", 0644, 1000, 1000, CONTENT);
    }

    private CompoundContext ctx(Inode current) {
        return h.ctx(session, USER, current);
    }

    private StateId open(String owner, int access, int deny, String name) throws Exception {
        OpResult r = run(OpenOperation::decode, openNoCreate(owner, access, deny, name), ctx(dir));
        assertEquals(NFS4_OK, r.status());
        return ((OpenOperation.Result) r).stateId();
    }

    private static byte[] data(OpResult r) {
        ByteBuffer b = ((ReadOperation.Result) r).data().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private StateId withSeqid(StateId id, int seqid) {
        return new StateId(seqid, id.other());
    }

    @Test
    void readWithOpenStateid() throws Exception {
        StateId id = open("o", ACCESS_READ, DENY_NONE, "file");
        OpResult r = run(ReadOperation::decode, read(id, 0, 100), ctx(file));
        assertEquals(NFS4_OK, r.status());
        assertArrayEquals(CONTENT, data(r));
        assertTrue(((ReadOperation.Result) r).eof());

        r = run(ReadOperation::decode, read(id, 1, 2), ctx(file));
        assertArrayEquals(new byte[] {20, 30}, data(r));
        assertFalse(((ReadOperation.Result) r).eof());

        r = run(ReadOperation::decode, read(id, 3, 2), ctx(file));
        assertTrue(((ReadOperation.Result) r).eof(), "read reaching the end");

        r = run(ReadOperation::decode, read(id, 100, 10), ctx(file));
        assertEquals(0, data(r).length);
        assertTrue(((ReadOperation.Result) r).eof());

        // seqid 0 means "the current one"; the current stateid works too.
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(withSeqid(id, 0), 0, 1),
                ctx(file)));
        CompoundContext ctx = ctx(file);
        ctx.setCurrentStateId(id);
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(StateId.CURRENT, 0, 1), ctx));
    }

    @Test
    void readResultEncodesTwiceTheSame() throws Exception {
        StateId id = open("o", ACCESS_READ, DENY_NONE, "file");
        OpResult r = run(ReadOperation::decode, read(id, 0, 100), ctx(file));
        assertEquals(encoded(r), encoded(r));
        ByteBuffer b = encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(CONTENT.length, b.getInt());
    }

    @Test
    void badStateids() throws Exception {
        StateId id = open("o", ACCESS_READ, DENY_NONE, "file");
        open("o", ACCESS_WRITE, DENY_NONE, "file"); // seqid 2 now
        StateId current = withSeqid(id, 2);
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(current, 0, 1), ctx(file)));
        assertEquals(NFS4ERR_OLD_STATEID, status(ReadOperation::decode, read(id, 0, 1),
                ctx(file)));
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(withSeqid(id, 3), 0, 1), ctx(file)));
        byte[] unknown = ByteBuffer.allocate(12).putInt(h.identity.bootEpoch()).putLong(12345)
                .array();
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(new StateId(1, unknown), 0, 1), ctx(file)));
        byte[] stale = id.other();
        ByteBuffer.wrap(stale).putInt(0, h.identity.bootEpoch() - 1);
        assertEquals(NFS4ERR_STALE_STATEID, status(ReadOperation::decode,
                read(new StateId(1, stale), 0, 1), ctx(file)));
        // The stateid of another file.
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode, read(current, 0, 1),
                ctx(file2)));
        // Another client's stateid.
        Session other = h.session("client-b");
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode, read(current, 0, 1),
                h.ctx(other, USER, file)));
        // Reserved special values: invalid, all-zero other with another seqid, all ones.
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(StateId.INVALID, 0, 1), ctx(file)));
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(new StateId(7, new byte[12]), 0, 1), ctx(file)));
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(new StateId(0, StateId.READ_BYPASS.other()), 0, 1), ctx(file)));
        // "Current stateid" with none set.
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(StateId.CURRENT, 0, 1), ctx(file)));
    }

    @Test
    void openModeIsEnforced() throws Exception {
        StateId writeOnly = open("w", ACCESS_WRITE, DENY_NONE, "file");
        assertEquals(NFS4ERR_OPENMODE, status(ReadOperation::decode, read(writeOnly, 0, 1),
                ctx(file)));
        StateId readOnly = open("r", ACCESS_READ, DENY_NONE, "file");
        assertEquals(NFS4ERR_OPENMODE, status(WriteOperation::decode,
                write(readOnly, 0, 0, new byte[] {1}), ctx(file)));
        assertEquals(NFS4_OK, status(WriteOperation::decode,
                write(writeOnly, 0, 0, new byte[] {1}), ctx(file)));
    }

    @Test
    void specialStateids() throws Exception {
        Inode secret = h.vfs.mkfile(dir, "secret", 0600, 2000, 2000, CONTENT);
        OpResult r = run(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 10), ctx(file));
        assertArrayEquals(CONTENT, data(r));
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(StateId.READ_BYPASS, 0, 10),
                ctx(file)));
        assertEquals(NFS4ERR_ACCESS, status(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 10),
                ctx(secret)));
        assertEquals(NFS4ERR_ACCESS, status(WriteOperation::decode,
                write(StateId.ANONYMOUS, 0, 2, new byte[] {1}), h.ctx(session, OTHER, file)));
        assertEquals(NFS4_OK, status(WriteOperation::decode,
                write(StateId.ANONYMOUS, 0, 2, new byte[] {1}), ctx(file)));

        // Share reservations stop special stateids, except READ with the bypass stateid.
        Session other = h.session("client-b");
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("x", ACCESS_READ, DENY_BOTH, "file"), h.ctx(other, USER, dir)));
        assertEquals(NFS4ERR_LOCKED, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 1), ctx(file)));
        assertEquals(NFS4_OK, status(ReadOperation::decode, read(StateId.READ_BYPASS, 0, 1),
                ctx(file)));
        assertEquals(NFS4ERR_LOCKED, status(WriteOperation::decode,
                write(StateId.ANONYMOUS, 0, 2, new byte[] {1}), ctx(file)));
        assertEquals(NFS4ERR_LOCKED, status(WriteOperation::decode,
                write(StateId.READ_BYPASS, 0, 2, new byte[] {1}), ctx(file)));
    }

    @Test
    void wrongTypesForIo() throws Exception {
        Inode sub = h.vfs.mkdir(dir, "sub", 0755, 0, 0);
        Inode link = h.vfs.symlink(dir, "link", "file");
        Inode fifo = h.vfs.create(Caller.root(), dir, "fifo", FileType.FIFO, SetAttributes.NONE,
                null);
        assertEquals(NFS4ERR_ISDIR, status(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 1),
                ctx(sub)));
        assertEquals(NFS4ERR_SYMLINK, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 1), ctx(link)));
        assertEquals(NFS4ERR_WRONG_TYPE, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 1), ctx(fifo)));
        assertEquals(NFS4ERR_ISDIR, status(WriteOperation::decode,
                write(StateId.ANONYMOUS, 0, 2, new byte[1]), ctx(sub)));
        assertEquals(NFS4ERR_ISDIR, status(CommitOperation::decode,
                new XdrWriter().writeLong(0).writeInt(0), ctx(sub)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 1), ctx(null)));
    }

    @Test
    void writeThenReadBackAndCommit() throws Exception {
        StateId id = open("o", ACCESS_BOTH, DENY_NONE, "file");
        OpResult r = run(WriteOperation::decode, write(id, 3, Stability.UNSTABLE.nfsValue(),
                new byte[] {7, 8, 9}), ctx(file));
        assertEquals(NFS4_OK, r.status());
        WriteOperation.Result w = (WriteOperation.Result) r;
        assertEquals(3, w.count());
        assertArrayEquals(h.identity.writeVerifier(), w.verifier());
        ByteBuffer b = encoded(r);
        assertEquals(4 + 4 + 4 + 8, b.remaining());
        assertArrayEquals(new byte[] {10, 20, 30, 7, 8, 9},
                data(run(ReadOperation::decode, read(id, 0, 100), ctx(file))));

        OpResult c = run(CommitOperation::decode, new XdrWriter().writeLong(0).writeInt(0),
                ctx(file));
        assertEquals(NFS4_OK, c.status());
        assertArrayEquals(h.identity.writeVerifier(), ((CommitOperation.Result) c).verifier());

        assertEquals(NFS4ERR_FBIG, status(WriteOperation::decode,
                write(id, Long.MAX_VALUE - 1, 0, new byte[] {1, 2, 3}), ctx(file)));
    }

    @Test
    void readCountIsCappedBySession() throws Exception {
        Inode big = h.vfs.mkfile(dir, "big", 0644, 1000, 1000, new byte[8192]);
        ChannelAttributes small = new ChannelAttributes(0, 1 << 20, 4096, 4096, 16, 4);
        Session s = h.sessions.create(session.client(), small, small, 0);
        OpResult r = run(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 8192),
                h.ctx(s, USER, big));
        assertEquals(4096 - ReadOperation.REPLY_OVERHEAD, data(r).length);
        assertFalse(((ReadOperation.Result) r).eof());
    }

    /** Linux asks for rsize plus its own estimate of the reply headers (924 bytes in 6.1). */
    @Test
    void aLinuxSizedSessionGetsWholeMegabyteReads() throws Exception {
        Inode big = h.vfs.mkfile(dir, "big", 0644, 1000, 1000, new byte[2 << 20]);
        int linux = (1 << 20) + 924;
        ChannelAttributes fore = new ChannelAttributes(0, linux, linux, 4096, 16, 4);
        Session s = h.sessions.create(session.client(), fore, fore, 0);
        OpResult r = run(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 1 << 20),
                h.ctx(s, USER, big));
        assertEquals(1 << 20, data(r).length);
    }

    @Test
    void closeThenUseIsBadStateid() throws Exception {
        StateId id = open("o", ACCESS_READ, DENY_NONE, "file");
        CompoundContext ctx = ctx(file);
        OpResult r = run(CloseOperation::decode, close(id), ctx);
        assertEquals(NFS4_OK, r.status());
        assertEquals(StateId.INVALID, ((StateIdResult) r).stateId());
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode, read(id, 0, 1),
                ctx(file)));
        assertEquals(NFS4ERR_BAD_STATEID, status(CloseOperation::decode, close(id), ctx(file)));
        // The current stateid after CLOSE is the invalid one.
        assertEquals(NFS4ERR_BAD_STATEID, status(ReadOperation::decode,
                read(StateId.CURRENT, 0, 1), ctx));
        assertEquals(0, h.states.openCount(file));
        assertEquals(0, h.states.stateCount());
    }

    @Test
    void closeChecksTheFileAndClient() throws Exception {
        StateId id = open("o", ACCESS_READ, DENY_NONE, "file");
        assertEquals(NFS4ERR_BAD_STATEID, status(CloseOperation::decode, close(id), ctx(file2)));
        Session other = h.session("client-b");
        assertEquals(NFS4ERR_BAD_STATEID, status(CloseOperation::decode, close(id),
                h.ctx(other, USER, file)));
        assertEquals(NFS4ERR_OLD_STATEID, status(CloseOperation::decode,
                close(withSeqid(id, 1)), ctxAfterUpgrade()));
    }

    private CompoundContext ctxAfterUpgrade() throws Exception {
        open("o", ACCESS_WRITE, DENY_NONE, "file");
        return ctx(file);
    }

    @Test
    void closeReleasesTheShareReservation() throws Exception {
        StateId id = open("a", ACCESS_READ, DENY_WRITE, "file");
        assertEquals(NFS4ERR_SHARE_DENIED, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_WRITE, DENY_NONE, "file"), ctx(dir)));
        assertEquals(NFS4_OK, status(CloseOperation::decode, close(id), ctx(file)));
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_WRITE, DENY_NONE, "file"), ctx(dir)));
    }

    @Test
    void openDowngrade() throws Exception {
        open("o", ACCESS_READ, DENY_NONE, "file");
        StateId id = open("o", ACCESS_WRITE, DENY_WRITE, "file");
        assertEquals(2, id.seqid());
        XdrWriter toRead = stateid(new XdrWriter(), id).writeInt(0).writeInt(ACCESS_READ)
                .writeInt(DENY_NONE);
        CompoundContext ctx = ctx(file);
        OpResult r = run(OpenDowngradeOperation::decode, toRead, ctx);
        assertEquals(NFS4_OK, r.status());
        StateId down = ((StateIdResult) r).stateId();
        assertEquals(3, down.seqid());
        assertEquals(down, ctx.resolve(StateId.CURRENT));
        assertEquals(NFS4ERR_OPENMODE, status(WriteOperation::decode,
                write(down, 0, 0, new byte[] {1}), ctx(file)));
        assertEquals(NFS4ERR_OLD_STATEID, status(ReadOperation::decode, read(id, 0, 1),
                ctx(file)));
        // Deny is gone: another owner may write now.
        assertEquals(NFS4_OK, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_WRITE, DENY_NONE, "file"), ctx(dir)));
        // Upgrading by OPEN_DOWNGRADE, or to access never opened: INVAL.
        XdrWriter toBoth = stateid(new XdrWriter(), down).writeInt(0).writeInt(ACCESS_BOTH)
                .writeInt(DENY_NONE);
        assertEquals(NFS4ERR_INVAL, status(OpenDowngradeOperation::decode, toBoth, ctx(file)));
    }

    @Test
    void downgradeToAccessNeverOpenedAloneIsInval() throws Exception {
        StateId id = open("o", ACCESS_BOTH, DENY_NONE, "file");
        XdrWriter toRead = stateid(new XdrWriter(), id).writeInt(0).writeInt(ACCESS_READ)
                .writeInt(DENY_NONE);
        assertEquals(NFS4ERR_INVAL, status(OpenDowngradeOperation::decode, toRead, ctx(file)));
    }
}
