package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * FREE_STATEID (RFC 8881 section 18.38): forgets a lock stateid that holds no locks.
 * NFS4ERR_LOCKS_HELD while locks remain, and for open stateids (CLOSE ends those).
 */
final class FreeStateidOperation implements Operation {
    private final StateId stateId;

    private FreeStateidOperation(StateId stateId) {
        this.stateId = stateId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new FreeStateidOperation(StateId.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.server().states().free(ctx.client(), ctx.resolve(stateId));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
