package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fluent COMPOUND4args (RFC 8881 section 16.2): {@code client.compound().sequence()
 * .putrootfh().lookup("a").getfh().send()}. Arguments are encoded when the request is
 * sent, so {@link #sequence()} takes the slot's next sequence id at that moment.
 */
public final class CompoundBuilder {
    private final Nfs4Client client;
    private byte[] tag = "fsnap-test".getBytes(StandardCharsets.UTF_8);
    private int minorVersion = 1;
    private final List<Integer> opcodes = new ArrayList<>();
    private final List<Consumer<XdrWriter>> args = new ArrayList<>();
    private SequencePlan sequence;

    /** What {@link #sequence} sent, for the client's slot bookkeeping. */
    record SequencePlan(int slot, Integer explicitSeqid, boolean cacheThis, Integer highestSlot) {
    }

    CompoundBuilder(Nfs4Client client) {
        this.client = client;
    }

    public CompoundBuilder tag(String t) {
        this.tag = t.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public CompoundBuilder tag(byte[] t) {
        this.tag = t.clone();
        return this;
    }

    public CompoundBuilder minorVersion(int v) {
        this.minorVersion = v;
        return this;
    }

    /** Any operation with hand-made arguments. */
    public CompoundBuilder op(int opcode, Consumer<XdrWriter> encoder) {
        opcodes.add(opcode);
        args.add(encoder);
        return this;
    }

    public CompoundBuilder raw(int opcode, byte[] encodedArgs) {
        return op(opcode, w -> w.writeRaw(encodedArgs));
    }

    private CompoundBuilder noArgs(int opcode) {
        return op(opcode, w -> { });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- sessions

    /** SEQUENCE on slot 0 with the client's bookkeeping (next seqid, cachethis false). */
    public CompoundBuilder sequence() {
        return sequence(0, false);
    }

    public CompoundBuilder sequence(int slot, boolean cacheThis) {
        return sequencePlan(new SequencePlan(slot, null, cacheThis, null));
    }

    /** SEQUENCE with an explicit sequence id: for misordered / replay tests. */
    public CompoundBuilder sequenceExplicit(int slot, int seqid, int highestSlot,
                                            boolean cacheThis) {
        return sequencePlan(new SequencePlan(slot, seqid, cacheThis, highestSlot));
    }

    private CompoundBuilder sequencePlan(SequencePlan plan) {
        if (sequence == null) {
            sequence = plan;
        }
        return op(OP_SEQUENCE, w -> client.encodeSequence(w, plan));
    }

    SequencePlan sequencePlan() {
        return sequence;
    }

    public CompoundBuilder reclaimComplete(boolean oneFs) {
        return op(OP_RECLAIM_COMPLETE, w -> w.writeBoolean(oneFs));
    }

    public CompoundBuilder destroySession(byte[] sessionId) {
        return op(OP_DESTROY_SESSION, w -> w.writeFixedOpaque(sessionId));
    }

    public CompoundBuilder destroyClientId(long clientId) {
        return op(OP_DESTROY_CLIENTID, w -> w.writeLong(clientId));
    }

    public CompoundBuilder bindConnToSession(byte[] sessionId, int dir, boolean rdma) {
        return op(OP_BIND_CONN_TO_SESSION, w -> w.writeFixedOpaque(sessionId).writeInt(dir)
                .writeBoolean(rdma));
    }

    /** EXCHANGE_ID4args with SP4_NONE and no implementation id. */
    public CompoundBuilder exchangeId(byte[] verifier, byte[] ownerId, int flags) {
        return op(OP_EXCHANGE_ID, w -> w.writeFixedOpaque(verifier).writeOpaque(ownerId)
                .writeInt(flags).writeInt(SP4_NONE).writeInt(0));
    }

    /** CREATE_SESSION4args with AUTH_NONE callback security. */
    public CompoundBuilder createSession(long clientId, int sequence, int flags,
                                         OpReply.ChannelAttrs fore, OpReply.ChannelAttrs back) {
        return op(OP_CREATE_SESSION, w -> {
            w.writeLong(clientId).writeInt(sequence).writeInt(flags);
            fore.encode(w);
            back.encode(w);
            w.writeInt(0x40000000).writeInt(1).writeInt(AuthSys.AUTH_NONE);
        });
    }

    // ---- filehandles

    public CompoundBuilder putrootfh() {
        return noArgs(OP_PUTROOTFH);
    }

    public CompoundBuilder putpubfh() {
        return noArgs(OP_PUTPUBFH);
    }

    public CompoundBuilder putfh(byte[] fh) {
        return op(OP_PUTFH, w -> w.writeOpaque(fh));
    }

    public CompoundBuilder getfh() {
        return noArgs(OP_GETFH);
    }

    public CompoundBuilder savefh() {
        return noArgs(OP_SAVEFH);
    }

    public CompoundBuilder restorefh() {
        return noArgs(OP_RESTOREFH);
    }

    // ---- namespace

    public CompoundBuilder lookup(String name) {
        return lookup(utf8(name));
    }

    public CompoundBuilder lookup(byte[] name) {
        return op(OP_LOOKUP, w -> w.writeOpaque(name));
    }

    /** LOOKUP of each component of a '/'-separated path. */
    public CompoundBuilder lookupPath(String path) {
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                lookup(c);
            }
        }
        return this;
    }

    public CompoundBuilder lookupp() {
        return noArgs(OP_LOOKUPP);
    }

    public CompoundBuilder mkdir(String name, FattrBuilder attrs) {
        return create(NF4DIR, null, name, attrs);
    }

    public CompoundBuilder symlink(String name, String target, FattrBuilder attrs) {
        return create(NF4LNK, target, name, attrs);
    }

    /** CREATE of any type; NF4BLK/NF4CHR get device numbers 1,1. */
    public CompoundBuilder create(int type, String linkTarget, String name, FattrBuilder attrs) {
        return op(OP_CREATE, w -> {
            w.writeInt(type);
            if (type == NF4LNK) {
                w.writeString(linkTarget);
            } else if (type == NF4BLK || type == NF4CHR) {
                w.writeInt(1).writeInt(1);
            }
            w.writeString(name);
            if (attrs == null) {
                FattrBuilder.encodeEmpty(w);
            } else {
                attrs.encode(w);
            }
        });
    }

    public CompoundBuilder remove(String name) {
        return op(OP_REMOVE, w -> w.writeString(name));
    }

    public CompoundBuilder rename(String oldName, String newName) {
        return op(OP_RENAME, w -> w.writeString(oldName).writeString(newName));
    }

    public CompoundBuilder link(String newName) {
        return op(OP_LINK, w -> w.writeString(newName));
    }

    public CompoundBuilder readlink() {
        return noArgs(OP_READLINK);
    }

    public CompoundBuilder secinfo(String name) {
        return op(OP_SECINFO, w -> w.writeString(name));
    }

    public CompoundBuilder secinfoNoName(int style) {
        return op(OP_SECINFO_NO_NAME, w -> w.writeInt(style));
    }

    // ---- attributes

    public CompoundBuilder getattr(int... attrs) {
        return op(OP_GETATTR, w -> w.writeBitmap(Attr.bitmap(attrs)));
    }

    public CompoundBuilder getattrBitmap(int... words) {
        return op(OP_GETATTR, w -> w.writeBitmap(words));
    }

    public CompoundBuilder setattr(Stateid stateid, FattrBuilder attrs) {
        return op(OP_SETATTR, w -> {
            stateid.encode(w);
            attrs.encode(w);
        });
    }

    public CompoundBuilder access(int bits) {
        return op(OP_ACCESS, w -> w.writeInt(bits));
    }

    public CompoundBuilder verify(FattrBuilder attrs) {
        return op(OP_VERIFY, attrs::encode);
    }

    public CompoundBuilder nverify(FattrBuilder attrs) {
        return op(OP_NVERIFY, attrs::encode);
    }

    public CompoundBuilder readdir(long cookie, byte[] cookieverf, int dircount, int maxcount,
                                   int... attrs) {
        return op(OP_READDIR, w -> w.writeLong(cookie).writeFixedOpaque(cookieverf)
                .writeInt(dircount).writeInt(maxcount).writeBitmap(Attr.bitmap(attrs)));
    }

    // ---- state and I/O

    /** OPEN with CLAIM_NULL of {@code name} in the current directory. */
    public CompoundBuilder open(String name, int access, int deny, long clientId, byte[] owner,
                                OpenHow how) {
        return op(OP_OPEN, w -> {
            openHead(w, access, deny, clientId, owner);
            how.encode(w);
            w.writeInt(CLAIM_NULL).writeString(name);
        });
    }

    /** OPEN with CLAIM_FH (the current filehandle is the file), no create. */
    public CompoundBuilder openClaimFh(int access, int deny, long clientId, byte[] owner) {
        return op(OP_OPEN, w -> {
            openHead(w, access, deny, clientId, owner);
            OpenHow.noCreate().encode(w);
            w.writeInt(CLAIM_FH);
        });
    }

    /** OPEN with CLAIM_PREVIOUS (reclaim after a server restart). */
    public CompoundBuilder openClaimPrevious(int access, int deny, long clientId, byte[] owner,
                                             int delegationType) {
        return op(OP_OPEN, w -> {
            openHead(w, access, deny, clientId, owner);
            OpenHow.noCreate().encode(w);
            w.writeInt(CLAIM_PREVIOUS).writeInt(delegationType);
        });
    }

    private static void openHead(XdrWriter w, int access, int deny, long clientId,
                                 byte[] owner) {
        w.writeInt(0).writeInt(access).writeInt(deny).writeLong(clientId).writeOpaque(owner);
    }

    public CompoundBuilder close(Stateid stateid) {
        return op(OP_CLOSE, w -> {
            w.writeInt(0);
            stateid.encode(w);
        });
    }

    public CompoundBuilder openDowngrade(Stateid stateid, int access, int deny) {
        return op(OP_OPEN_DOWNGRADE, w -> {
            stateid.encode(w);
            w.writeInt(0).writeInt(access).writeInt(deny);
        });
    }

    public CompoundBuilder read(Stateid stateid, long offset, int count) {
        return op(OP_READ, w -> {
            stateid.encode(w);
            w.writeLong(offset).writeInt(count);
        });
    }

    public CompoundBuilder write(Stateid stateid, long offset, int stable, byte[] data) {
        return op(OP_WRITE, w -> {
            stateid.encode(w);
            w.writeLong(offset).writeInt(stable).writeOpaque(data);
        });
    }

    public CompoundBuilder commit(long offset, int count) {
        return op(OP_COMMIT, w -> w.writeLong(offset).writeInt(count));
    }

    /** LOCK for a new lock owner, from an open stateid. */
    public CompoundBuilder lockNew(int type, long offset, long length, Stateid openStateid,
                                   long clientId, byte[] lockOwner) {
        return op(OP_LOCK, w -> {
            w.writeInt(type).writeBoolean(false).writeLong(offset).writeLong(length);
            w.writeBoolean(true).writeInt(0);
            openStateid.encode(w);
            w.writeInt(0).writeLong(clientId).writeOpaque(lockOwner);
        });
    }

    /** LOCK for a lock owner that already has a lock stateid. */
    public CompoundBuilder lockExisting(int type, long offset, long length, Stateid lockStateid) {
        return op(OP_LOCK, w -> {
            w.writeInt(type).writeBoolean(false).writeLong(offset).writeLong(length);
            w.writeBoolean(false);
            lockStateid.encode(w);
            w.writeInt(0);
        });
    }

    public CompoundBuilder lockt(int type, long offset, long length, long clientId,
                                 byte[] lockOwner) {
        return op(OP_LOCKT, w -> w.writeInt(type).writeLong(offset).writeLong(length)
                .writeLong(clientId).writeOpaque(lockOwner));
    }

    public CompoundBuilder locku(int type, Stateid lockStateid, long offset, long length) {
        return op(OP_LOCKU, w -> {
            w.writeInt(type).writeInt(0);
            lockStateid.encode(w);
            w.writeLong(offset).writeLong(length);
        });
    }

    public CompoundBuilder freeStateid(Stateid stateid) {
        return op(OP_FREE_STATEID, stateid::encode);
    }

    public CompoundBuilder testStateid(Stateid... stateids) {
        return op(OP_TEST_STATEID, w -> {
            w.writeInt(stateids.length);
            for (Stateid s : stateids) {
                s.encode(w);
            }
        });
    }

    public CompoundBuilder delegreturn(Stateid stateid) {
        return op(OP_DELEGRETURN, stateid::encode);
    }

    // ---- sending

    public int operationCount() {
        return opcodes.size();
    }

    /** The COMPOUND4args bytes (takes a sequence id when the request has SEQUENCE). */
    public byte[] encode() {
        XdrWriter w = new XdrWriter().writeOpaque(tag).writeInt(minorVersion)
                .writeInt(opcodes.size());
        for (int i = 0; i < opcodes.size(); i++) {
            w.writeInt(opcodes.get(i));
            args.get(i).accept(w);
        }
        return w.toByteArray();
    }

    public CompoundReply send() throws IOException {
        return client.send(this);
    }
}
