package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** RECLAIM_COMPLETE (RFC 8881 section 18.51): the client has reclaimed all it will. */
final class ReclaimCompleteOperation implements Operation {
    private final boolean oneFs;

    private ReclaimCompleteOperation(boolean oneFs) {
        this.oneFs = oneFs;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new ReclaimCompleteOperation(in.readBoolean());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ClientRecord client = ctx.client();
        if (oneFs) {
            // Per-filesystem completion: one export, so the global one decides.
            return OpResult.status(Nfs4Status.NFS4_OK);
        }
        if (client.isReclaimComplete()) {
            throw new NfsException(Nfs4Status.NFS4ERR_COMPLETE_ALREADY);
        }
        client.setReclaimComplete();
        ctx.server().clients().grace().reclaimComplete(client.ownerId());
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
