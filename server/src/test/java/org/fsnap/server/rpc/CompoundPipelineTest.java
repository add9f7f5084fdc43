package org.fsnap.server.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.ServerContext;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.compound.CompoundProcessor;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.ops.Nfs4Operations;
import org.fsnap.server.state.ClientRecoveryStore;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.GracePeriod;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COMPOUND bytes in, COMPOUND bytes out: decoding, the session rules, the sequence of
 * EXCHANGE_ID, CREATE_SESSION and SEQUENCE, and the reply cache.
 */
class CompoundPipelineTest {
    @TempDir
    Path dir;

    private CompoundProcessor processor;
    private final Caller caller = Caller.of(0, 0);

    @BeforeEach
    void setUp() throws Exception {
        ServerIdentity identity = new ServerIdentity("t");
        ClientTable clients = new ClientTable(identity, new ClientRecoveryStore(dir),
                new GracePeriod(Set.of(), 0, 0));
        SessionTable sessions = new SessionTable();
        processor = new CompoundProcessor(new ServerContext(null, identity, clients, sessions,
                new StateTable(identity, clients), new OwnerMapper("localdomain"), 90));
    }

    /** Encodes a COMPOUND4args body with the given minor version and op encoders. */
    private static byte[] compound(int minor, List<Consumer<XdrOutput>> ops) {
        try (Xdr xdr = new Xdr(256)) {
            xdr.beginEncoding();
            XdrOutput out = new XdrOutput(xdr);
            out.writeOpaque("tag".getBytes()).writeInt(minor).writeInt(ops.size());
            ops.forEach(op -> op.accept(out));
            xdr.endEncoding();
            return xdr.getBytes();
        }
    }

    /** Runs the bytes through decode, processor and encode; returns the reply bytes. */
    private byte[] run(byte[] call) throws Exception {
        Xdr in = new Xdr(call);
        in.beginDecoding();
        CompoundCall args = new CompoundCall(Nfs4Operations.standard());
        args.xdrDecode(in);
        try (Xdr out = new Xdr(256)) {
            out.beginEncoding();
            new CompoundReply(processor.process(args.request(), caller)).xdrEncode(out);
            out.endEncoding();
            return out.getBytes();
        }
    }

    /** A decoded reply: overall status and each op's (opcode, status), plus a reader after them. */
    private record Reply(int status, List<int[]> ops, XdrInput rest) {
    }

    /** Reads the header and the first op's result; the caller reads its body from rest. */
    private static Reply header(byte[] reply) throws Exception {
        Xdr x = new Xdr(reply);
        x.beginDecoding();
        XdrInput in = new XdrInput(x);
        int status = in.readInt();
        in.readOpaque(1024);
        int n = in.readInt();
        List<int[]> ops = new ArrayList<>();
        if (n > 0) {
            ops.add(new int[] {in.readInt(), in.readInt()});
        }
        return new Reply(status, ops, in);
    }

    private static Consumer<XdrOutput> op(int opcode) {
        return o -> o.writeInt(opcode);
    }

    private static Consumer<XdrOutput> exchangeId(byte[] owner) {
        return o -> o.writeInt(OpCode.EXCHANGE_ID).writeFixedOpaque(new byte[8]).writeOpaque(owner)
                .writeInt(0).writeInt(0).writeInt(0);
    }

    private static Consumer<XdrOutput> createSession(long clientId, int seq) {
        return o -> {
            o.writeInt(OpCode.CREATE_SESSION).writeLong(clientId).writeInt(seq).writeInt(0);
            for (int i = 0; i < 2; i++) {
                o.writeInt(0).writeInt(65536).writeInt(65536).writeInt(4096).writeInt(16).writeInt(8)
                        .writeInt(0);
            }
            o.writeInt(0x40000000).writeInt(1).writeInt(0);
        };
    }

    private static Consumer<XdrOutput> sequence(byte[] session, int seq, boolean cache) {
        return o -> o.writeInt(OpCode.SEQUENCE).writeFixedOpaque(session).writeInt(seq).writeInt(0)
                .writeInt(0).writeBoolean(cache);
    }

    private byte[] openSession() throws Exception {
        Reply ex = header(run(compound(1, List.of(exchangeId("c1".getBytes())))));
        assertEquals(Nfs4Status.NFS4_OK, ex.status());
        long clientId = ex.rest().readLong();
        int seq = ex.rest().readInt();
        Reply cs = header(run(compound(1, List.of(createSession(clientId, seq)))));
        assertEquals(Nfs4Status.NFS4_OK, cs.status());
        return cs.rest().readFixedOpaque(16);
    }

    @Test
    void minorVersionZeroIsAMismatch() throws Exception {
        Reply r = header(run(compound(0, List.of(op(OpCode.PUTROOTFH)))));
        assertEquals(Nfs4Status.NFS4ERR_MINOR_VERS_MISMATCH, r.status());
        assertEquals(0, r.ops().size());
    }

    @Test
    void operationsOutsideASessionAreRefused() throws Exception {
        Reply r = header(run(compound(1, List.of(op(OpCode.PUTROOTFH), op(OpCode.GETFH)))));
        assertEquals(Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION, r.status());
        assertArrayEquals(new int[] {OpCode.PUTROOTFH, Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION},
                r.ops().get(0));
    }

    @Test
    void exchangeIdMustStandAlone() throws Exception {
        Reply r = header(run(compound(1, List.of(exchangeId("c".getBytes()), op(OpCode.GETFH)))));
        assertEquals(Nfs4Status.NFS4ERR_NOT_ONLY_OP, r.status());
    }

    @Test
    void unknownOperationIsIllegal() throws Exception {
        Reply r = header(run(compound(1, List.of(op(9999)))));
        assertArrayEquals(new int[] {OpCode.ILLEGAL, Nfs4Status.NFS4ERR_OP_ILLEGAL}, r.ops().get(0));
    }

    @Test
    void truncatedArgumentsAreBadXdr() throws Exception {
        Reply r = header(run(compound(1, List.of(o -> o.writeInt(OpCode.EXCHANGE_ID).writeInt(1)))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR, r.status());
    }

    @Test
    void sessionLifecycleAndReplyCache() throws Exception {
        byte[] session = openSession();
        byte[] first = run(compound(1, List.of(sequence(session, 1, true))));
        assertEquals(Nfs4Status.NFS4_OK, header(first).status());
        // The retransmission gets the very same bytes.
        byte[] replay = run(compound(1, List.of(sequence(session, 1, true))));
        assertArrayEquals(first, replay);
        Reply misordered = header(run(compound(1, List.of(sequence(session, 5, false)))));
        assertEquals(Nfs4Status.NFS4ERR_SEQ_MISORDERED, misordered.status());
        Reply next = header(run(compound(1, List.of(sequence(session, 2, false)))));
        assertEquals(Nfs4Status.NFS4_OK, next.status());
        Reply uncached = header(run(compound(1, List.of(sequence(session, 2, false)))));
        assertEquals(Nfs4Status.NFS4ERR_RETRY_UNCACHED_REP, uncached.status());
        Reply seqLater = header(run(compound(1,
                List.of(sequence(session, 3, false), sequence(session, 4, false)))));
        assertEquals(Nfs4Status.NFS4ERR_SEQUENCE_POS, seqLater.status());
    }

    @Test
    void createSessionRetransmissionGetsTheSameSession() throws Exception {
        Reply ex = header(run(compound(1, List.of(exchangeId("c2".getBytes())))));
        long clientId = ex.rest().readLong();
        int seq = ex.rest().readInt();
        Reply a = header(run(compound(1, List.of(createSession(clientId, seq)))));
        Reply b = header(run(compound(1, List.of(createSession(clientId, seq)))));
        assertArrayEquals(a.rest().readFixedOpaque(16), b.rest().readFixedOpaque(16));
        Reply skipped = header(run(compound(1, List.of(createSession(clientId, seq + 5)))));
        assertEquals(Nfs4Status.NFS4ERR_SEQ_MISORDERED, skipped.status());
    }

    @Test
    void unknownSessionIsBadSession() throws Exception {
        Reply r = header(run(compound(1, List.of(sequence(new byte[16], 1, false)))));
        assertEquals(Nfs4Status.NFS4ERR_BADSESSION, r.status());
        assertNotNull(r.ops());
    }
}
