package org.fsnap.server.ops.attribute;

import org.fsnap.server.attr.Fattr4;
import org.fsnap.server.attr.Fattr4Comparator;
import org.fsnap.server.attr.Fattr4Encoder;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * VERIFY (RFC 8881 section 18.31) and NVERIFY (section 18.15): compare the given attributes
 * with the current filehandle's. VERIFY succeeds when all are equal, else NFS4ERR_NOT_SAME;
 * NVERIFY succeeds when any differs, else NFS4ERR_SAME.
 */
public final class VerifyOperation implements Operation {
    private final Fattr4 attributes;
    private final boolean negated;

    VerifyOperation(Fattr4 attributes, boolean negated) {
        this.attributes = attributes;
        this.negated = negated;
    }

    public static Operation decodeVerify(XdrInput in) throws XdrException {
        return new VerifyOperation(Fattr4.decode(in), false);
    }

    public static Operation decodeNverify(XdrInput in) throws XdrException {
        return new VerifyOperation(Fattr4.decode(in), true);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode inode = ctx.currentFh();
        boolean same = Fattr4Comparator.matches(attributes, Fattr4Encoder.of(ctx),
                ctx.server().owners(), inode, ctx.vfs().getattr(inode));
        if (negated) {
            return OpResult.status(same ? Nfs4Status.NFS4ERR_SAME : Nfs4Status.NFS4_OK);
        }
        return OpResult.status(same ? Nfs4Status.NFS4_OK : Nfs4Status.NFS4ERR_NOT_SAME);
    }
}
