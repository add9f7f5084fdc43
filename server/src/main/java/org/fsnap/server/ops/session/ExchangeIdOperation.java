package org.fsnap.server.ops.session;

import java.nio.charset.StandardCharsets;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/** EXCHANGE_ID (RFC 8881 section 18.35): establishes or finds the client's record. */
final class ExchangeIdOperation implements Operation {
    static final int OPAQUE_LIMIT = 1024;
    private static final int FLAG_SUPP_MOVED_REFER = 0x00000001;
    private static final int FLAG_SUPP_MOVED_MIGR = 0x00000002;
    private static final int FLAG_BIND_PRINC_STATEID = 0x00000100;
    private static final int FLAG_USE_NON_PNFS = 0x00010000;
    private static final int FLAG_USE_PNFS_MDS = 0x00020000;
    private static final int FLAG_USE_PNFS_DS = 0x00040000;
    private static final int FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
    private static final int FLAG_CONFIRMED_R = 0x80000000;
    private static final int FLAG_MASK_A = FLAG_SUPP_MOVED_REFER | FLAG_SUPP_MOVED_MIGR
            | FLAG_BIND_PRINC_STATEID | FLAG_USE_NON_PNFS | FLAG_USE_PNFS_MDS | FLAG_USE_PNFS_DS
            | FLAG_UPD_CONFIRMED_REC_A;
    private static final int SP4_NONE = 0;
    private static final int SP4_MACH_CRED = 1;

    private final byte[] verifier;
    private final byte[] ownerId;
    private final int flags;
    private final int stateProtect;

    private ExchangeIdOperation(byte[] verifier, byte[] ownerId, int flags, int stateProtect) {
        this.verifier = verifier;
        this.ownerId = ownerId;
        this.flags = flags;
        this.stateProtect = stateProtect;
    }

    static Operation decode(XdrInput in) throws XdrException {
        byte[] verifier = in.readFixedOpaque(8);
        byte[] owner = in.readOpaque(OPAQUE_LIMIT);
        int flags = in.readInt();
        int how = in.readInt();
        if (how == SP4_MACH_CRED) {
            in.readBitmap();
            in.readBitmap();
        } else if (how != SP4_NONE) {
            // SP4_SSV needs RPCSEC_GSS, which this server does not offer; the rest is unread.
            return new ExchangeIdOperation(verifier, owner, flags, how);
        }
        int implIds = in.readLength(1);
        for (int i = 0; i < implIds; i++) {
            in.readOpaque(OPAQUE_LIMIT);
            in.readOpaque(OPAQUE_LIMIT);
            in.readLong();
            in.readInt();
        }
        return new ExchangeIdOperation(verifier, owner, flags, how);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        if ((flags & ~FLAG_MASK_A) != 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "unknown EXCHANGE_ID flags");
        }
        if (stateProtect != SP4_NONE) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTSUPP, "only SP4_NONE state protection");
        }
        if (ownerId.length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "empty client owner");
        }
        boolean update = (flags & FLAG_UPD_CONFIRMED_REC_A) != 0;
        ClientTable.Exchange ex = ctx.server().clients()
                .exchangeId(ownerId, verifier, update, System.nanoTime());
        int replyFlags = FLAG_USE_NON_PNFS | (ex.confirmed() ? FLAG_CONFIRMED_R : 0);
        return new Result(ex.client().clientId(), ex.client().nextCreateSessionSeq(), replyFlags,
                ctx.server().identity());
    }

    private record Result(long clientId, int sequenceId, int flags, ServerIdentity identity)
            implements OpResult.Ok {
        private static final byte[] IMPL_DOMAIN = "fsnap.org".getBytes(StandardCharsets.UTF_8);
        private static final byte[] IMPL_NAME = "fsnap".getBytes(StandardCharsets.UTF_8);

        @Override
        public void encodeBody(XdrOutput out) {
            out.writeLong(clientId)
                    .writeInt(sequenceId)
                    .writeInt(flags)
                    .writeInt(SP4_NONE)
                    .writeLong(0) // so_minor_id
                    .writeOpaque(identity.ownerMajor())
                    .writeOpaque(identity.scope())
                    .writeInt(1)
                    .writeOpaque(IMPL_DOMAIN)
                    .writeOpaque(IMPL_NAME)
                    .writeLong(0)
                    .writeInt(0);
        }
    }
}
