package org.fsnap.server.testclient;

import org.fsnap.server.NfsServer;

import static org.fsnap.server.testclient.Nfs4.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed input over real TCP: every case gets an error reply or a closed connection,
 * costs bounded memory, and the server keeps serving a well-behaved client afterwards.
 */
@Timeout(120)
class RobustnessTest {
    private static final int PROC_COMPOUND = 1;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new MemoryFileSystem());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** After every case: a new connection gets NULL and a COMPOUND answered. */
    @AfterEach
    void serverStillServes() throws Exception {
        try (Nfs4Client c = Nfs4Client.connect(server.address())) {
            c.nullCall();
            c.establishSession();
            c.compound().sequence().putrootfh().getfh().send().assertOk();
        }
    }

    private static RawRpcConnection raw() throws IOException {
        return new RawRpcConnection(server.address()).timeout(WAIT);
    }

    private static byte[] compoundCall(RawRpcConnection c, byte[] args) {
        return RawRpcConnection.callMessage(c.nextXid(), RpcChannel.NFS_PROGRAM,
                RpcChannel.NFS_VERSION, PROC_COMPOUND, AuthSys.root(), args);
    }

    /** An error reply (not SUCCESS) or a closed connection; never silence. */
    private static void assertRefused(RawRpcConnection c, String what) throws IOException {
        RawRpcConnection.Outcome o = c.awaitOutcome(WAIT);
        if (o == RawRpcConnection.Outcome.REPLIED) {
            assertFalse(c.lastReply().isSuccess(), what + ": " + c.lastReply());
        } else {
            assertEquals(RawRpcConnection.Outcome.CLOSED, o, what);
        }
    }

    @Test
    void garbageRecord() throws Exception {
        byte[] junk = new byte[200];
        new Random(1).nextBytes(junk);
        try (RawRpcConnection c = raw()) {
            c.sendRecord(junk);
            assertRefused(c, "random bytes as a record");
        }
    }

    @Test
    void replyInsteadOfCall() throws Exception {
        byte[] notACall = new XdrWriter().writeInt(7).writeInt(1).writeInt(0).writeInt(0)
                .writeInt(0).writeInt(0).toByteArray();
        try (RawRpcConnection c = raw()) {
            c.sendRecord(notACall);
            assertRefused(c, "a REPLY sent to the server");
        }
    }

    @Test
    void tooShortRecords() throws Exception {
        try (RawRpcConnection c = raw()) {
            c.sendRecord(new byte[] {0, 0, 0, 1, 0, 0});
            assertRefused(c, "a 6-byte record");
        }
        try (RawRpcConnection c = raw()) {
            c.sendRecord(new byte[0]);
            c.sendRecord(new byte[] {1, 2, 3, 4});
            assertRefused(c, "empty and 4-byte records");
        }
    }

    @Test
    void garbageArgumentsGetGarbageArgs() throws Exception {
        try (RawRpcConnection c = raw()) {
            byte[] args = new byte[64];
            Arrays.fill(args, (byte) 0xee); // tag length 0xeeeeeeee
            c.sendRecord(compoundCall(c, args));
            RpcReplyMessage reply = c.readReply();
            assertTrue(reply.accepted());
            assertEquals(RpcReplyMessage.GARBAGE_ARGS, reply.acceptStat(), reply.toString());
        }
    }

    @Test
    void absurdLengthsInTheCompoundHeader() throws Exception {
        try (RawRpcConnection c = raw()) {
            // tag<> of 2^31-1 bytes, followed by almost nothing
            byte[] tag = new XdrWriter().writeInt(Integer.MAX_VALUE).writeInt(1).toByteArray();
            c.sendRecord(compoundCall(c, tag));
            assertEquals(RpcReplyMessage.GARBAGE_ARGS, c.readReply().acceptStat());
            // 2^31-1 operations announced
            byte[] count = new XdrWriter().writeString("t").writeInt(1)
                    .writeInt(Integer.MAX_VALUE).writeInt(OP_PUTROOTFH).toByteArray();
            c.sendRecord(compoundCall(c, count));
            assertEquals(RpcReplyMessage.GARBAGE_ARGS, c.readReply().acceptStat());
            // and the same connection still works
            assertTrue(c.callForReply(RpcChannel.NFS_PROGRAM, RpcChannel.NFS_VERSION, 0,
                    AuthSys.root(), new byte[0]).isSuccess());
        }
    }

    @Test
    void truncatedCompoundHeader() throws Exception {
        try (RawRpcConnection c = raw()) {
            byte[] cut = new XdrWriter().writeInt(8).writeRaw("abc".getBytes(StandardCharsets.UTF_8))
                    .toByteArray();
            c.sendRecord(compoundCall(c, cut));
            assertEquals(RpcReplyMessage.GARBAGE_ARGS, c.readReply().acceptStat());
        }
    }

    @Test
    void truncatedOperationIsBadXdrAfterTheOpsBeforeIt() throws Exception {
        try (Nfs4Client c = Nfs4Client.connectRaw(server.address()).establishSession()) {
            CompoundBuilder b = c.compound().sequence().putrootfh().lookup("a-rather-long-name");
            CompoundReply r = c.send(b, args -> Arrays.copyOf(args, args.length - 8));
            assertEquals(NFS4ERR_BADXDR, r.status(), r.toString());
            assertEquals(3, r.size());
            assertEquals(NFS4_OK, r.get(0).status());
            assertEquals(NFS4_OK, r.get(1).status());
            assertEquals(OP_LOOKUP, r.get(2).opcode());
            // the slot moved on: the next request on it is accepted
            c.compound().sequence().putrootfh().send().assertOk();
        }
    }

    @Test
    void absurdLengthsInsideOperations() throws Exception {
        try (Nfs4Client c = Nfs4Client.connectRaw(server.address()).establishSession()) {
            // LOOKUP with a component of 2^31-1 bytes
            CompoundReply r = c.compound().sequence().putrootfh()
                    .raw(OP_LOOKUP, new XdrWriter().writeInt(Integer.MAX_VALUE).toByteArray())
                    .send();
            assertEquals(NFS4ERR_BADXDR, r.status(), r.toString());
            assertEquals(OP_LOOKUP, r.last().opcode());
            // GETATTR with a bitmap of 2^31-1 words
            r = c.compound().sequence().putrootfh()
                    .raw(OP_GETATTR, new XdrWriter().writeInt(Integer.MAX_VALUE).toByteArray())
                    .send();
            assertEquals(NFS4ERR_BADXDR, r.status(), r.toString());
            // CREATE of a symlink whose text is 2^31-1 bytes long
            r = c.compound().sequence().putrootfh()
                    .raw(OP_CREATE, new XdrWriter().writeInt(NF4LNK).writeInt(Integer.MAX_VALUE)
                            .toByteArray()).send();
            assertEquals(NFS4ERR_BADXDR, r.status(), r.toString());
            // PUTFH with a 2^31-1 byte handle
            r = c.compound().sequence()
                    .raw(OP_PUTFH, new XdrWriter().writeInt(Integer.MAX_VALUE).toByteArray())
                    .send();
            assertEquals(NFS4ERR_BADXDR, r.status(), r.toString());
            // a name longer than any component: NAMETOOLONG, not a crash
            r = c.compound().sequence().putrootfh().lookup("n".repeat(3000)).send();
            assertEquals(NFS4ERR_NAMETOOLONG, r.status(), r.toString());
            // unknown operation numbers
            r = c.compound().sequence().putrootfh().raw(9999, new byte[0]).send();
            assertEquals(NFS4ERR_OP_ILLEGAL, r.status(), r.toString());
            assertEquals(OP_ILLEGAL, r.last().opcode());
        }
    }

    @Test
    void rpcHeaderErrors() throws Exception {
        try (RawRpcConnection c = raw()) {
            RpcReplyMessage r = c.callForReply(RpcChannel.NFS_PROGRAM, 3, 0, AuthSys.root(),
                    new byte[0]);
            // RFC 5531 would have PROG_MISMATCH; oncrpc4j answers PROG_UNAVAIL for a version
            // it has no service for. Either tells a client that NFSv3 is not offered.
            assertTrue(r.acceptStat() == RpcReplyMessage.PROG_MISMATCH
                    || r.acceptStat() == RpcReplyMessage.PROG_UNAVAIL, r.toString());
            r = c.callForReply(100005, 3, 0, AuthSys.root(), new byte[0]);
            assertEquals(RpcReplyMessage.PROG_UNAVAIL, r.acceptStat(), r.toString());
            r = c.callForReply(RpcChannel.NFS_PROGRAM, RpcChannel.NFS_VERSION, 7, AuthSys.root(),
                    new byte[0]);
            assertEquals(RpcReplyMessage.PROC_UNAVAIL, r.acceptStat(), r.toString());
        }
        try (RawRpcConnection c = raw()) {
            // RPC version 3
            byte[] call = RawRpcConnection.callMessage(c.nextXid(), RpcChannel.NFS_PROGRAM,
                    RpcChannel.NFS_VERSION, 0, AuthSys.root(), new byte[0]);
            call[11] = 3;
            c.sendRecord(call);
            assertRefused(c, "rpcvers 3");
        }
        try (RawRpcConnection c = raw()) {
            // a credential body claiming 2^31-1 bytes
            byte[] call = new XdrWriter().writeInt(c.nextXid()).writeInt(0).writeInt(2)
                    .writeInt(RpcChannel.NFS_PROGRAM).writeInt(RpcChannel.NFS_VERSION).writeInt(0)
                    .writeInt(AuthSys.AUTH_SYS).writeInt(Integer.MAX_VALUE).writeInt(0)
                    .toByteArray();
            c.sendRecord(call);
            assertRefused(c, "credential of 2^31-1 bytes");
        }
        try (RawRpcConnection c = raw()) {
            // AUTH_SYS with 2^31-1 supplementary groups
            byte[] body = new XdrWriter().writeInt(0).writeString("m").writeInt(0).writeInt(0)
                    .writeInt(Integer.MAX_VALUE).toByteArray();
            byte[] call = new XdrWriter().writeInt(c.nextXid()).writeInt(0).writeInt(2)
                    .writeInt(RpcChannel.NFS_PROGRAM).writeInt(RpcChannel.NFS_VERSION).writeInt(0)
                    .writeInt(AuthSys.AUTH_SYS).writeOpaque(body).writeInt(0).writeInt(0)
                    .toByteArray();
            c.sendRecord(call);
            assertRefused(c, "AUTH_SYS with 2^31-1 gids");
        }
    }

    /**
     * A record-marking header claiming a 2 GiB fragment, then data streamed at the server:
     * it must give up (close) long before buffering gigabytes.
     */
    @Test
    void twoGibFragmentHeaderIsNotBuffered() throws Exception {
        assertClosedBeforeSending(new XdrWriter().writeInt(0xffffffff).toByteArray(), false);
    }

    /** Endless non-final fragments of a legal size must not add up to an endless record. */
    @Test
    void endlessFragmentsAreNotBuffered() throws Exception {
        assertClosedBeforeSending(new byte[0], true);
    }

    /** Unframed text (an HTTP request): its first 4 bytes read as a huge fragment length. */
    @Test
    void unframedTextIsNotBuffered() throws Exception {
        assertClosedBeforeSending("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                false);
    }

    private static final int STREAM_LIMIT = 64 << 20;

    private static void assertClosedBeforeSending(byte[] prefix, boolean fragmented)
            throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(prefix);
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try {
                while (sent < STREAM_LIMIT && System.nanoTime() < deadline) {
                    if (fragmented) {
                        out.write(new XdrWriter().writeInt(chunk.length - 4).toByteArray());
                        out.write(chunk, 0, chunk.length - 4);
                    } else {
                        out.write(chunk);
                    }
                    sent += chunk.length;
                }
                out.flush();
                // Everything went out; the server may still close now that it has seen it.
                int read = s.getInputStream().read();
                if (read != -1) {
                    fail("server answered a " + sent + "-byte stream instead of closing");
                }
            } catch (IOException expected) {
                // broken pipe / reset: the server closed the connection
            }
            assertTrue(sent < STREAM_LIMIT, "the server accepted " + (sent >> 20)
                    + " MiB of one record without closing the connection");
        }
    }

    @Test
    void garbageAfterAValidCallClosesTheConnection() throws Exception {
        try (RawRpcConnection c = raw()) {
            int xid = c.nextXid();
            byte[] call = RawRpcConnection.callMessage(xid, RpcChannel.NFS_PROGRAM,
                    RpcChannel.NFS_VERSION, 0, AuthSys.root(), new byte[0]);
            byte[] junk = new byte[100];
            new Random(7).nextBytes(junk);
            junk[4] = 0x7f; // msg_type neither CALL nor REPLY
            XdrWriter w = new XdrWriter().writeInt(RawRpcConnection.LAST_FRAGMENT | call.length)
                    .writeRaw(call).writeInt(RawRpcConnection.LAST_FRAGMENT | junk.length)
                    .writeRaw(junk);
            c.sendRaw(w.toByteArray());
            // The call may or may not be answered before the connection is dropped.
            RawRpcConnection.Outcome o = c.awaitOutcome(WAIT);
            if (o == RawRpcConnection.Outcome.REPLIED) {
                assertEquals(xid, c.lastReply().xid());
                o = c.awaitOutcome(WAIT);
            }
            assertEquals(RawRpcConnection.Outcome.CLOSED, o);
        }
    }

    /**
     * Credentials whose inner lengths ask oncrpc4j to allocate gigabytes before it sees
     * that the bytes are not there.
     */
    @Test
    void credentialsWithAbsurdInnerLengths() throws Exception {
        byte[][] bodies = {
            // machinename<> of 2^31-16 bytes
            new XdrWriter().writeInt(0).writeInt(0x7ffffff0).writeInt(0).toByteArray(),
            // 2^28-1 supplementary gids (a 1 GiB int array)
            new XdrWriter().writeInt(0).writeString("m").writeInt(0).writeInt(0)
                    .writeInt(0x0fffffff).toByteArray(),
            // 17 gids: one over the limit of RFC 5531
            authSysWithGids(17),
        };
        for (byte[] body : bodies) {
            try (RawRpcConnection c = raw()) {
                c.sendRecord(callWithCredential(c, AuthSys.AUTH_SYS, body));
                assertRefused(c, "AUTH_SYS body " + Arrays.toString(Arrays.copyOf(body, 16)));
            }
        }
        try (RawRpcConnection c = raw()) {
            // RPCSEC_GSS credential whose context handle claims 2^31-1 bytes
            byte[] gss = new XdrWriter().writeInt(1).writeInt(0).writeInt(1).writeInt(1)
                    .writeInt(Integer.MAX_VALUE).toByteArray();
            c.sendRecord(callWithCredential(c, 6, gss));
            assertRefused(c, "RPCSEC_GSS with a 2^31-1 byte handle");
        }
        try (RawRpcConnection c = raw()) {
            // 16 gids is legal and answered
            c.sendRecord(callWithCredential(c, AuthSys.AUTH_SYS, authSysWithGids(16)));
            assertTrue(c.readReply().isSuccess());
        }
    }

    private static byte[] authSysWithGids(int n) {
        XdrWriter w = new XdrWriter().writeInt(0).writeString("m").writeInt(1000).writeInt(1000)
                .writeInt(n);
        for (int i = 0; i < n; i++) {
            w.writeInt(2000 + i);
        }
        return w.toByteArray();
    }

    /** A NULL call with a hand-made credential body. */
    private static byte[] callWithCredential(RawRpcConnection c, int flavor, byte[] body) {
        return new XdrWriter().writeInt(c.nextXid()).writeInt(0).writeInt(2)
                .writeInt(RpcChannel.NFS_PROGRAM).writeInt(RpcChannel.NFS_VERSION).writeInt(0)
                .writeInt(flavor).writeOpaque(body).writeInt(0).writeInt(0).toByteArray();
    }

    /** Legitimate framing the guard must not mistake: many fragments, one byte per write. */
    @Test
    void fragmentedCallsTrickledByteByByteAreAnswered() throws Exception {
        try (Nfs4Client c = Nfs4Client.connect(server.address()).establishSession();
             RawRpcConnection raw = raw()) {
            byte[] args = c.compound().sequence().putrootfh().getfh().encode();
            int xid = raw.nextXid();
            byte[] call = RawRpcConnection.callMessage(xid, RpcChannel.NFS_PROGRAM,
                    RpcChannel.NFS_VERSION, PROC_COMPOUND, AuthSys.root(), args);
            // fragments of 3, 17, 1 and the rest bytes: the RPC header spans all of them
            int[] cuts = {0, 3, 20, 21, call.length};
            XdrWriter w = new XdrWriter();
            for (int i = 0; i + 1 < cuts.length; i++) {
                boolean last = i + 2 == cuts.length;
                w.writeInt((last ? RawRpcConnection.LAST_FRAGMENT : 0) | (cuts[i + 1] - cuts[i]));
                w.writeRaw(Arrays.copyOfRange(call, cuts[i], cuts[i + 1]));
            }
            byte[] wire = w.toByteArray();
            for (int i = 0; i < wire.length; i++) {
                raw.sendRaw(new byte[] {wire[i]});
            }
            RpcReplyMessage reply = raw.readReply();
            assertEquals(xid, reply.xid());
            assertTrue(reply.isSuccess(), reply.toString());
            CompoundReply r = CompoundReply.decode(reply.results());
            assertEquals(NFS4_OK, r.status(), r.toString());
            assertEquals(3, r.size());
        }
    }

    @Test
    void recordsUnderTheLimitPass() throws Exception {
        try (RawRpcConnection c = raw()) {
            byte[] padding = new byte[NfsServer.MAX_RECORD_BYTES - 1024];
            RpcReplyMessage r = c.callForReply(RpcChannel.NFS_PROGRAM, RpcChannel.NFS_VERSION, 0,
                    AuthSys.root(), padding);
            assertTrue(r.isSuccess(), r.toString());
        }
    }

    @Test
    void manySmallGarbageConnections() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 50; i++) {
            try (RawRpcConnection c = raw().timeout(Duration.ofMillis(200))) {
                byte[] junk = new byte[rnd.nextInt(120)];
                rnd.nextBytes(junk);
                c.sendRecord(junk);
                c.awaitOutcome(Duration.ofMillis(200));
            }
        }
        assertNotNull(server.address());
        assertNotEquals(0, server.address().getPort());
        assertArrayEquals(new byte[0], new byte[0]);
        assertThrows(IllegalStateException.class, () -> {
            throw new IllegalStateException();
        });
    }
}
