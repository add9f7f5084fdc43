package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fsnap.server.xdr.OpaqueBufferPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test client against the in-process server: sessions, namespace operations, replies. */
@Timeout(60)
class Nfs4ClientTest {
    private static MemoryFileSystem fs;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        fs = new MemoryFileSystem();
        server = TestServer.start(fs);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void nullProcedureOverBothTransports() throws Exception {
        try (Nfs4Client c = Nfs4Client.connect(server.address())) {
            c.nullCall();
        }
        try (Nfs4Client c = Nfs4Client.connectRaw(server.address())) {
            c.nullCall();
        }
    }

    @Test
    void sessionAndSlotBookkeeping() throws Exception {
        try (Nfs4Client c = server.client()) {
            assertNotEquals(0, c.clientId());
            assertEquals(16, c.sessionId().length);
            int before = c.slotSequence(0);
            CompoundReply r = c.compound().sequence().putrootfh().getfh().send().assertOk();
            assertEquals(before + 1, c.slotSequence(0));
            OpReply.SequenceResult seq = r.get(0).sequence();
            assertArrayEquals(c.sessionId(), seq.sessionId());
            assertEquals(before + 1, seq.sequenceId());
            assertEquals(0, seq.slotId());
            assertEquals(List.of(OP_SEQUENCE, OP_PUTROOTFH, OP_GETFH),
                    r.results().stream().map(OpReply::opcode).toList());
            assertArrayEquals(fs.root().handle(), r.find(OP_GETFH).fh());
            assertEquals(NFS4_OK, c.destroySession().status());
        }
    }

    @Test
    void namespaceRoundTrip() throws Exception {
        try (Nfs4Client c = server.client()) {
            CompoundReply made = c.compound().sequence().putrootfh()
                    .mkdir("rt", FattrBuilder.attrs().mode(0755)).getfh()
                    .symlink("ln", "../target", null).readlink()
                    .send().assertOk();
            OpReply create = made.find(OP_CREATE);
            assertTrue(create.changeInfo().after() != create.changeInfo().before());
            assertArrayEquals(Attr.bitmap(Attr.MODE), create.attrset());
            assertEquals("../target", made.find(OP_READLINK).readlink());
            byte[] rt = made.find(OP_GETFH).fh();

            CompoundReply moved = c.compound().sequence().putfh(rt).savefh().putrootfh()
                    .rename("missing", "ln2").send();
            assertEquals(NFS4ERR_NOENT, moved.status());
            assertEquals(5, moved.size());
            moved = c.compound().sequence().putrootfh().savefh().putfh(rt)
                    .rename("rt", "x").send(); // a directory into itself
            assertEquals(NFS4ERR_INVAL, moved.lastStatus());
            moved = c.compound().sequence().putfh(rt).savefh().putrootfh()
                    .rename("ln", "top-ln").lookup("top-ln").readlink().send().assertOk();
            assertEquals("../target", moved.last().readlink());
            assertNotEquals(moved.find(OP_RENAME).changeInfo().before(),
                    moved.find(OP_RENAME).changeInfo().after());

            CompoundReply removed = c.compound().sequence().putrootfh().remove("top-ln")
                    .remove("rt").lookup("rt").send();
            assertEquals(NFS4ERR_NOENT, removed.status());
            assertEquals(NFS4_OK, removed.get(1).status());
            assertEquals(NFS4_OK, removed.get(2).status());
            assertEquals(NFS4_OK, removed.get(3).status());
        }
    }

    @Test
    void secinfoConsumesTheFilehandle() throws Exception {
        try (Nfs4Client c = server.client()) {
            CompoundReply r = c.compound().sequence().putrootfh().secinfoNoName(
                    SECINFO_STYLE4_CURRENT_FH).getfh().send();
            assertArrayEquals(new int[] {AuthSys.AUTH_SYS}, r.get(2).secinfoFlavors());
            assertEquals(NFS4ERR_NOFILEHANDLE, r.status());
            r = c.compound().sequence().putrootfh().secinfoNoName(SECINFO_STYLE4_PARENT).send();
            assertEquals(NFS4ERR_NOENT, r.status());
        }
    }

    @Test
    void retransmissionGetsTheCachedReply() throws Exception {
        try (Nfs4Client c = server.client()) {
            CompoundReply first = c.compound().sequence(0, true).putrootfh()
                    .mkdir("once", null).send().assertOk();
            CompoundReply again = c.resendLast();
            assertEquals(first.toString(), again.toString());
            assertArrayEquals(first.find(OP_CREATE).body(), again.find(OP_CREATE).body());
            CompoundReply next = c.compound().sequence().putrootfh().remove("once").send();
            assertEquals(NFS4_OK, next.status());
        }
    }

    @Test
    void requestsOutsideASessionAreRefused() throws Exception {
        try (Nfs4Client c = Nfs4Client.connect(server.address())) {
            CompoundReply r = c.compound().putrootfh().getfh().send();
            assertEquals(NFS4ERR_OP_NOT_IN_SESSION, r.status());
            assertEquals(1, r.size());
            r = c.compound().minorVersion(0).putrootfh().send();
            assertEquals(NFS4ERR_MINOR_VERS_MISMATCH, r.status());
            assertEquals(0, r.size());
            assertFalse(r.ok());
        }
    }

    /**
     * What the Linux client does before any SETATTR: it keeps only the attributes named in
     * supported_attrs. Both settable times must be there, or touch and utimensat send an
     * empty SETATTR that changes nothing.
     */
    @Test
    void settableTimesAreAdvertisedAndSetThroughTheAdvertisedMask() throws Exception {
        try (Nfs4Client c = server.client()) {
            int[] supported = c.compound().sequence().putrootfh().getattr(Attr.SUPPORTED_ATTRS)
                    .send().assertOk().find(OP_GETATTR).attrs().supportedAttrs();
            int word1 = supported.length > 1 ? supported[1] : 0;
            assertTrue((word1 & 1 << (Attr.TIME_ACCESS_SET - 32)) != 0
                    && (word1 & 1 << (Attr.TIME_MODIFY_SET - 32)) != 0,
                    "supported_attrs word 1: " + Integer.toHexString(word1));
            FattrBuilder times = FattrBuilder.attrs().atime(978_307_200L, 0)
                    .mtime(1_234_567_890L, 500_000_000);
            int[] mask = times.mask();
            for (int i = 0; i < mask.length; i++) {
                assertEquals(mask[i], mask[i] & (i < supported.length ? supported[i] : 0));
            }
            CompoundReply r = c.compound().sequence().putrootfh().mkdir("times", null)
                    .setattr(Stateid.ANONYMOUS, times).getattr(Attr.TIME_MODIFY).send().assertOk();
            assertArrayEquals(mask, r.find(OP_SETATTR).attrset());
            assertEquals(new Fattr.Time(1_234_567_890L, 500_000_000),
                    r.find(OP_GETATTR).attrs().timeModify());
        }
    }

    /**
     * WRITE data sits in pooled buffers until its COMPOUND is done, READ data until its reply
     * has been sent: every one comes back, whether the WRITE succeeded, failed, or never ran
     * because an earlier operation failed.
     */
    @Test
    void bulkDataBuffersGoBackToThePool() throws Exception {
        int before = OpaqueBufferPool.SHARED.leased();
        try (Nfs4Client c = server.client()) {
            byte[] owner = "owner-pool".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CompoundReply opened = c.compound().sequence().putrootfh()
                    .open("pooled", OPEN4_SHARE_ACCESS_BOTH | OPEN4_SHARE_ACCESS_WANT_NO_DELEG,
                            OPEN4_SHARE_DENY_NONE, c.clientId(), owner,
                            OpenHow.guarded(FattrBuilder.attrs().mode(0600)))
                    .getfh().send().assertOk();
            Stateid sid = opened.find(OP_OPEN).open().stateid();
            byte[] fh = opened.find(OP_GETFH).fh();
            byte[] data = new byte[64 * 1024];
            java.util.Arrays.fill(data, (byte) 7);
            c.compound().sequence().putfh(fh).write(sid, 0, UNSTABLE4, data).write(sid, data.length,
                    UNSTABLE4, data).send().assertOk();
            CompoundReply bad = c.compound().sequence().putfh(fh).write(Stateid.INVALID, 0, UNSTABLE4, data)
                    .send();
            assertNotEquals(NFS4_OK, bad.status(), bad.toString());
            CompoundReply skipped = c.compound().sequence().lookup("no-such-file")
                    .write(sid, 0, UNSTABLE4, data).send();
            assertNotEquals(NFS4_OK, skipped.status(), skipped.toString());
            CompoundReply read = c.compound().sequence().putfh(fh).read(sid, 0, 2 * data.length)
                    .send().assertOk();
            byte[] both = new byte[2 * data.length];
            java.util.Arrays.fill(both, (byte) 7);
            assertArrayEquals(both, read.find(OP_READ).read().data());
        }
        // READ's buffer comes back when the server's write of the reply completes, which
        // can be just after this client has read the reply
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (OpaqueBufferPool.SHARED.leased() != before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before, OpaqueBufferPool.SHARED.leased());
    }

    /** Exercises the decoders other tests rely on: OPEN, WRITE, READ, GETATTR, READDIR, LOCK. */
    @Test
    void fileRoundTripDecoders() throws Exception {
        try (Nfs4Client c = server.client()) {
            byte[] owner = "owner-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CompoundReply opened = c.compound().sequence().putrootfh().mkdir("io", null)
                    .open("f", OPEN4_SHARE_ACCESS_BOTH | OPEN4_SHARE_ACCESS_WANT_NO_DELEG,
                            OPEN4_SHARE_DENY_NONE, c.clientId(), owner,
                            OpenHow.guarded(FattrBuilder.attrs().mode(0640)))
                    .getfh().send().assertOk();
            OpReply.OpenResult open = opened.find(OP_OPEN).open();
            byte[] fh = opened.find(OP_GETFH).fh();
            Stateid sid = open.stateid();
            byte[] data = "hello, fsnap".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CompoundReply io = c.compound().sequence().putfh(fh)
                    .write(sid, 0, UNSTABLE4, data).commit(0, 0)
                    .read(sid, 0, 100)
                    .getattr(Attr.TYPE, Attr.SIZE, Attr.MODE, Attr.FILEID, Attr.NUMLINKS,
                            Attr.OWNER, Attr.CHANGE)
                    .send().assertOk();
            OpReply.WriteResult w = io.find(OP_WRITE).write();
            assertEquals(data.length, w.count());
            assertEquals(8, io.find(OP_COMMIT).commitVerifier().length);
            OpReply.ReadResult read = io.find(OP_READ).read();
            assertArrayEquals(data, read.data());
            assertTrue(read.eof());
            Fattr attrs = io.find(OP_GETATTR).attrs();
            assertEquals(NF4REG, attrs.type());
            assertEquals(data.length, attrs.size());
            assertEquals(0640, attrs.mode());
            assertEquals(1, attrs.numlinks());
            assertEquals(-1, attrs.undecodedFrom(), attrs.toString());

            CompoundReply locked = c.compound().sequence().putfh(fh)
                    .lockNew(WRITE_LT, 0, 10, sid, c.clientId(), "lo".getBytes())
                    .send().assertOk();
            Stateid lockSid = locked.find(OP_LOCK).stateid();
            CompoundReply tested = c.compound().sequence().putfh(fh)
                    .lockt(WRITE_LT, 0, 1, c.clientId(), "other".getBytes())
                    .send();
            assertEquals(NFS4ERR_DENIED, tested.status(), tested.toString());
            assertEquals(10, tested.last().lockDenied().length());
            c.compound().sequence().putfh(fh).locku(WRITE_LT, lockSid, 0, 10).send().assertOk();
            int[] statuses = c.compound().sequence().testStateid(sid, Stateid.INVALID).send()
                    .assertOk().find(OP_TEST_STATEID).testStateid();
            assertEquals(NFS4_OK, statuses[0]);
            assertNotEquals(NFS4_OK, statuses[1]);
            c.compound().sequence().putfh(fh).close(sid).send().assertOk();

            OpReply.ReaddirResult listing = c.compound().sequence().putrootfh().lookup("io")
                    .readdir(0, new byte[8], 4096, 8192, Attr.TYPE, Attr.FILEID)
                    .send().assertOk().find(OP_READDIR).readdir();
            assertEquals(List.of("f"), listing.names());
            assertTrue(listing.eof());
            assertEquals(NF4REG, listing.entries().get(0).attrs().type());
        }
    }
}
