package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** DESTROY_SESSION (RFC 8881 section 18.37). */
final class DestroySessionOperation implements Operation {
    private final byte[] sessionId;

    private DestroySessionOperation(byte[] sessionId) {
        this.sessionId = sessionId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new DestroySessionOperation(in.readFixedOpaque(SessionTable.SESSION_ID_SIZE));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        Session session = ctx.server().sessions().get(sessionId);
        if (ctx.session() == session && !ctx.isLastOperation()) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADSESSION,
                    "DESTROY_SESSION of the compound's own session must come last");
        }
        ctx.server().sessions().destroy(session);
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
