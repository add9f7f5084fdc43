package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * GET_DIR_DELEGATION (RFC 8881 section 18.39): this server offers no directory delegations,
 * so the answer is NFS4_OK with GDD4_UNAVAIL and no promise to signal one later.
 */
final class GetDirDelegationOperation implements Operation {
    static final int GDD4_UNAVAIL = 1;

    private GetDirDelegationOperation() {
    }

    static Operation decode(XdrInput in) throws XdrException {
        in.readBoolean(); // gdda_signal_deleg_avail
        in.readBitmap(); // gdda_notification_types
        in.readLong(); // gdda_child_attr_delay: nfstime4
        in.readInt();
        in.readLong(); // gdda_dir_attr_delay: nfstime4
        in.readInt();
        in.readBitmap(); // gdda_child_attributes
        in.readBitmap(); // gdda_dir_attributes
        return new GetDirDelegationOperation();
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        if (ctx.currentFh().type() != FileType.DIRECTORY) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTDIR, "not a directory");
        }
        return new OpResult.Ok() {
            @Override
            public void encodeBody(XdrOutput out) {
                out.writeInt(GDD4_UNAVAIL).writeBoolean(false);
            }
        };
    }
}
