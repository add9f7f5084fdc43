package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** DESTROY_CLIENTID (RFC 8881 section 18.50): only once the client has no sessions. */
final class DestroyClientIdOperation implements Operation {
    private final long clientId;

    private DestroyClientIdOperation(long clientId) {
        this.clientId = clientId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new DestroyClientIdOperation(in.readLong());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.server().clients().destroy(ctx.server().clients().get(clientId));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
