package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation's result from a COMPOUND reply: opcode, status and the raw body bytes after
 * the status, with decoders for the results tests look at.
 */
public record OpReply(int opcode, int status, byte[] body) {

    public boolean ok() {
        return status == NFS4_OK;
    }

    private XdrReader reader(int expectedOp) {
        if (opcode != expectedOp) {
            throw new IllegalStateException("result of " + opName(opcode) + ", not "
                    + opName(expectedOp));
        }
        if (status != NFS4_OK && expectedOp != OP_SETATTR) {
            throw new IllegalStateException(opName(opcode) + " failed: " + statusName(status));
        }
        return new XdrReader(body);
    }

    /** change_info4. */
    public record ChangeInfo(boolean atomic, long before, long after) {
        static ChangeInfo decode(XdrReader r) {
            return new ChangeInfo(r.readBoolean(), r.readLong(), r.readLong());
        }
    }

    public byte[] fh() {
        return reader(OP_GETFH).readOpaque();
    }

    public Fattr attrs() {
        return Fattr.decode(reader(OP_GETATTR));
    }

    /** CREATE, LINK, REMOVE: the directory's change_info4; RENAME: the source's. */
    public ChangeInfo changeInfo() {
        if (opcode != OP_CREATE && opcode != OP_LINK && opcode != OP_REMOVE
                && opcode != OP_RENAME) {
            throw new IllegalStateException(opName(opcode) + " has no change_info4");
        }
        return ChangeInfo.decode(reader(opcode));
    }

    /** RENAME's target_cinfo. */
    public ChangeInfo targetChangeInfo() {
        XdrReader r = reader(OP_RENAME);
        ChangeInfo.decode(r);
        return ChangeInfo.decode(r);
    }

    /** CREATE's attrset, or SETATTR's attrsset (present on failure too). */
    public int[] attrset() {
        if (opcode == OP_SETATTR) {
            return reader(OP_SETATTR).readBitmap();
        }
        XdrReader r = reader(OP_CREATE);
        ChangeInfo.decode(r);
        return r.readBitmap();
    }

    /** READ4resok. */
    public record ReadResult(boolean eof, byte[] data) {
    }

    public ReadResult read() {
        XdrReader r = reader(OP_READ);
        boolean eof = r.readBoolean();
        return new ReadResult(eof, r.readOpaque());
    }

    /** One READDIR entry. */
    public record DirEntry(long cookie, String name, Fattr attrs) {
    }

    /** READDIR4resok. */
    public record ReaddirResult(byte[] cookieverf, List<DirEntry> entries, boolean eof) {
        public List<String> names() {
            return entries.stream().map(DirEntry::name).toList();
        }
    }

    public ReaddirResult readdir() {
        XdrReader r = reader(OP_READDIR);
        byte[] verf = r.readFixedOpaque(8);
        List<DirEntry> entries = new ArrayList<>();
        while (r.readBoolean()) {
            long cookie = r.readLong();
            String name = new String(r.readOpaque(), StandardCharsets.UTF_8);
            entries.add(new DirEntry(cookie, name, Fattr.decode(r)));
        }
        return new ReaddirResult(verf, entries, r.readBoolean());
    }

    public String readlink() {
        return new String(reader(OP_READLINK).readOpaque(), StandardCharsets.UTF_8);
    }

    /** SECINFO / SECINFO_NO_NAME: the flavors in order. */
    public int[] secinfoFlavors() {
        XdrReader r = reader(opcode == OP_SECINFO_NO_NAME ? OP_SECINFO_NO_NAME : OP_SECINFO);
        int n = r.readInt();
        int[] flavors = new int[n];
        for (int i = 0; i < n; i++) {
            flavors[i] = r.readInt();
            if (flavors[i] == RPCSEC_GSS) {
                r.readOpaque();
                r.readInt();
                r.readInt();
            }
        }
        return flavors;
    }

    /** The stateid of OPEN, CLOSE, LOCK, LOCKU or OPEN_DOWNGRADE. */
    public Stateid stateid() {
        if (opcode != OP_OPEN && opcode != OP_CLOSE && opcode != OP_LOCK && opcode != OP_LOCKU
                && opcode != OP_OPEN_DOWNGRADE) {
            throw new IllegalStateException(opName(opcode) + " has no stateid");
        }
        return Stateid.decode(reader(opcode));
    }

    /** OPEN4resok. */
    public record OpenResult(Stateid stateid, ChangeInfo cinfo, int rflags, int[] attrset,
                             int delegationType) {
    }

    public OpenResult open() {
        XdrReader r = reader(OP_OPEN);
        Stateid sid = Stateid.decode(r);
        ChangeInfo ci = ChangeInfo.decode(r);
        int rflags = r.readInt();
        int[] attrset = r.readBitmap();
        XdrReader rest = new XdrReader(body);
        int delegation = ResultBodies.open(rest);
        return new OpenResult(sid, ci, rflags, attrset, delegation);
    }

    /** WRITE4resok. */
    public record WriteResult(int count, int committed, byte[] verifier) {
    }

    public WriteResult write() {
        XdrReader r = reader(OP_WRITE);
        return new WriteResult(r.readInt(), r.readInt(), r.readFixedOpaque(8));
    }

    /** COMMIT's write verifier. */
    public byte[] commitVerifier() {
        return reader(OP_COMMIT).readFixedOpaque(8);
    }

    /** ACCESS4resok. */
    public record AccessResult(int supported, int access) {
    }

    public AccessResult access() {
        XdrReader r = reader(OP_ACCESS);
        return new AccessResult(r.readInt(), r.readInt());
    }

    /** LOCK4denied of LOCK or LOCKT failing with NFS4ERR_DENIED. */
    public record LockDenied(long offset, long length, int locktype, long clientId,
                             byte[] owner) {
    }

    public LockDenied lockDenied() {
        if (status != NFS4ERR_DENIED) {
            throw new IllegalStateException(opName(opcode) + ": " + statusName(status));
        }
        XdrReader r = new XdrReader(body);
        return new LockDenied(r.readLong(), r.readLong(), r.readInt(), r.readLong(),
                r.readOpaque());
    }

    /** TEST_STATEID: a status per stateid. */
    public int[] testStateid() {
        XdrReader r = reader(OP_TEST_STATEID);
        int n = r.readInt();
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.readInt();
        }
        return s;
    }

    /** SEQUENCE4resok. */
    public record SequenceResult(byte[] sessionId, int sequenceId, int slotId,
                                 int highestSlotId, int targetHighestSlotId, int statusFlags) {
    }

    public SequenceResult sequence() {
        XdrReader r = reader(OP_SEQUENCE);
        return new SequenceResult(r.readFixedOpaque(16), r.readInt(), r.readInt(), r.readInt(),
                r.readInt(), r.readInt());
    }

    /** EXCHANGE_ID4resok (the fields tests use). */
    public record ExchangeIdResult(long clientId, int sequenceId, int flags, int stateProtect,
                                   long serverMinorId, byte[] serverMajorId, byte[] serverScope) {
    }

    public ExchangeIdResult exchangeId() {
        XdrReader r = reader(OP_EXCHANGE_ID);
        long clientId = r.readLong();
        int seq = r.readInt();
        int flags = r.readInt();
        int how = r.readInt();
        if (how == SP4_MACH_CRED) {
            r.readBitmap();
            r.readBitmap();
        } else if (how != SP4_NONE) {
            throw new IllegalStateException("state protection " + how + " not decoded here");
        }
        return new ExchangeIdResult(clientId, seq, flags, how, r.readLong(), r.readOpaque(),
                r.readOpaque());
    }

    /** channel_attrs4. */
    public record ChannelAttrs(int headerPadSize, int maxRequestSize, int maxResponseSize,
                               int maxResponseSizeCached, int maxOperations, int maxRequests) {
        static ChannelAttrs decode(XdrReader r) {
            ChannelAttrs a = new ChannelAttrs(r.readInt(), r.readInt(), r.readInt(), r.readInt(),
                    r.readInt(), r.readInt());
            int ird = r.readInt();
            r.skip(4 * ird);
            return a;
        }

        void encode(XdrWriter w) {
            w.writeInt(headerPadSize).writeInt(maxRequestSize).writeInt(maxResponseSize)
                    .writeInt(maxResponseSizeCached).writeInt(maxOperations)
                    .writeInt(maxRequests).writeInt(0);
        }
    }

    /** CREATE_SESSION4resok. */
    public record CreateSessionResult(byte[] sessionId, int sequenceId, int flags,
                                      ChannelAttrs fore, ChannelAttrs back) {
    }

    public CreateSessionResult createSession() {
        XdrReader r = reader(OP_CREATE_SESSION);
        return new CreateSessionResult(r.readFixedOpaque(16), r.readInt(), r.readInt(),
                ChannelAttrs.decode(r), ChannelAttrs.decode(r));
    }

    @Override
    public String toString() {
        return opName(opcode) + ":" + statusName(status);
    }
}
