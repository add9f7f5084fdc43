package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * A small NFSv4.1 client for protocol-level tests. It keeps the session bookkeeping itself
 * (EXCHANGE_ID → CREATE_SESSION → SEQUENCE with per-slot sequence ids, RFC 8881 sections
 * 18.35, 18.36, 18.46) and builds COMPOUNDs fluently:
 *
 * <pre>{@code
 * try (Nfs4Client c = Nfs4Client.connect(server.address()).establishSession()) {
 *     CompoundReply r = c.compound().sequence().putrootfh().lookup("a").getfh()
 *             .getattr(Attr.TYPE, Attr.SIZE).send();
 *     byte[] fh = r.find(Nfs4.OP_GETFH).fh();
 * }
 * }</pre>
 *
 * One request at a time per client (send is synchronized, slot 0 by default); use several
 * clients for concurrency.
 */
public final class Nfs4Client implements Closeable {
    private static final int PROC_NULL = 0;
    private static final int PROC_COMPOUND = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RpcChannel channel;
    private AuthSys cred;
    private byte[] ownerId = ("fsnap-testclient-" + UUID.randomUUID())
            .getBytes(StandardCharsets.UTF_8);
    private byte[] verifier = randomBytes(8);
    private long clientId;
    private int createSessionSeq;
    private byte[] sessionId;
    private int[] slotSeq = new int[0];
    private OpReply.CreateSessionResult session;
    private byte[] lastArgs;
    private int pendingSlot = -1;
    private int pendingSeqid;

    public Nfs4Client(RpcChannel channel, AuthSys cred) {
        this.channel = channel;
        this.cred = cred;
    }

    /** Over oncrpc4j's client, as root (AUTH_SYS 0/0). */
    public static Nfs4Client connect(InetSocketAddress server) throws IOException {
        return new Nfs4Client(new OncRpcChannel(server, 30_000), AuthSys.root());
    }

    /** Over a {@link RawRpcConnection}, as root. */
    public static Nfs4Client connectRaw(InetSocketAddress server) throws IOException {
        return new Nfs4Client(new RawRpcConnection(server), AuthSys.root());
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The credential for the calls that follow. */
    public Nfs4Client as(AuthSys credential) {
        this.cred = credential;
        return this;
    }

    public AuthSys credential() {
        return cred;
    }

    public RpcChannel channel() {
        return channel;
    }

    /** The client owner and verifier the next EXCHANGE_ID sends (a restart changes the verifier). */
    public Nfs4Client owner(byte[] owner, byte[] verifier) {
        this.ownerId = owner.clone();
        this.verifier = verifier.clone();
        return this;
    }

    public byte[] ownerId() {
        return ownerId.clone();
    }

    public long clientId() {
        return clientId;
    }

    public byte[] sessionId() {
        return sessionId == null ? null : sessionId.clone();
    }

    public OpReply.CreateSessionResult session() {
        return session;
    }

    /** The last sequence id used on a slot (0 before the first request). */
    public synchronized int slotSequence(int slot) {
        return slotSeq[slot];
    }

    // ---- calls

    public void nullCall() throws IOException {
        channel.call(RpcChannel.NFS_PROGRAM, RpcChannel.NFS_VERSION, PROC_NULL, cred, new byte[0]);
    }

    public CompoundBuilder compound() {
        return new CompoundBuilder(this);
    }

    /** The COMPOUND procedure with arbitrary argument bytes; the raw result bytes. */
    public byte[] compoundRaw(byte[] args) throws IOException {
        return channel.call(RpcChannel.NFS_PROGRAM, RpcChannel.NFS_VERSION, PROC_COMPOUND, cred,
                args);
    }

    synchronized CompoundReply send(CompoundBuilder b) throws IOException {
        return send(b, java.util.function.UnaryOperator.identity());
    }

    /**
     * Encodes the request, lets {@code mutate} change the argument bytes (truncate, corrupt),
     * sends them and keeps the slot bookkeeping as for an ordinary request. A reply other than
     * SUCCESS (e.g. GARBAGE_ARGS) is thrown as {@link RpcCallFailedException}.
     */
    public synchronized CompoundReply send(CompoundBuilder b,
                                           java.util.function.UnaryOperator<byte[]> mutate)
            throws IOException {
        pendingSlot = -1;
        byte[] args = mutate.apply(b.encode());
        lastArgs = args;
        int slot = pendingSlot;
        int seqid = pendingSeqid;
        CompoundReply reply = CompoundReply.decode(compoundRaw(args));
        if (slot >= 0 && reply.size() > 0 && reply.get(0).opcode() == OP_SEQUENCE
                && reply.get(0).ok() && seqid == slotSeq[slot] + 1) {
            slotSeq[slot] = seqid;
        }
        return reply;
    }

    /** Sends the last COMPOUND's bytes again (a retransmission: same slot and seqid). */
    public synchronized CompoundReply resendLast() throws IOException {
        return CompoundReply.decode(compoundRaw(lastArgs));
    }

    /** SEQUENCE4args for a plan; called while the request is encoded. */
    void encodeSequence(XdrWriter w, CompoundBuilder.SequencePlan plan) {
        if (sessionId == null) {
            throw new IllegalStateException("no session: call establishSession() first");
        }
        int slot = plan.slot();
        int seqid = plan.explicitSeqid() != null ? plan.explicitSeqid() : slotSeq[slot] + 1;
        if (pendingSlot < 0) {
            pendingSlot = slot;
            pendingSeqid = seqid;
        }
        int highest = plan.highestSlot() != null ? plan.highestSlot()
                : Math.max(0, slotSeq.length - 1);
        w.writeFixedOpaque(sessionId).writeInt(seqid).writeInt(slot).writeInt(highest)
                .writeBoolean(plan.cacheThis());
    }

    // ---- session set-up

    public OpReply.ExchangeIdResult exchangeId() throws IOException {
        return exchangeId(0);
    }

    public OpReply.ExchangeIdResult exchangeId(int flags) throws IOException {
        CompoundReply r = compound().exchangeId(verifier, ownerId, flags).send().assertOk();
        OpReply.ExchangeIdResult ex = r.get(0).exchangeId();
        clientId = ex.clientId();
        createSessionSeq = ex.sequenceId();
        return ex;
    }

    /** Channel attributes this client asks for: 1 MiB requests and replies, 8 slots. */
    public static OpReply.ChannelAttrs defaultFore() {
        return new OpReply.ChannelAttrs(0, 1 << 20 | 4096, 1 << 20 | 4096, 64 * 1024, 32, 8);
    }

    public static OpReply.ChannelAttrs defaultBack() {
        return new OpReply.ChannelAttrs(0, 4096, 4096, 0, 2, 1);
    }

    public OpReply.CreateSessionResult createSession() throws IOException {
        CompoundReply r = compound().createSession(clientId, createSessionSeq, 0, defaultFore(),
                defaultBack()).send().assertOk();
        OpReply.CreateSessionResult cs = r.get(0).createSession();
        createSessionSeq++;
        synchronized (this) {
            session = cs;
            sessionId = cs.sessionId();
            slotSeq = new int[Math.max(1, Math.min(cs.fore().maxRequests(), 1024))];
        }
        return cs;
    }

    /** EXCHANGE_ID, CREATE_SESSION and RECLAIM_COMPLETE: ready for ordinary requests. */
    public Nfs4Client establishSession() throws IOException {
        exchangeId();
        createSession();
        CompoundReply r = compound().sequence().reclaimComplete(false).send();
        if (!r.ok() && r.lastStatus() != NFS4ERR_COMPLETE_ALREADY) {
            throw new IOException("RECLAIM_COMPLETE failed: " + r);
        }
        return this;
    }

    public CompoundReply destroySession() throws IOException {
        CompoundReply r = compound().destroySession(sessionId).send();
        if (r.ok()) {
            synchronized (this) {
                sessionId = null;
            }
        }
        return r;
    }

    public CompoundReply destroyClientId() throws IOException {
        return compound().destroyClientId(clientId).send();
    }

    // ---- conveniences

    public byte[] rootFh() throws IOException {
        return compound().sequence().putrootfh().getfh().send().assertOk().find(OP_GETFH).fh();
    }

    /** The filehandle of a '/'-separated path from the root. */
    public byte[] fhOf(String path) throws IOException {
        return compound().sequence().putrootfh().lookupPath(path).getfh().send().assertOk()
                .find(OP_GETFH).fh();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
