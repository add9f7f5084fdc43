package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * DELEGRETURN (RFC 8881 section 18.6). This server grants no delegations, so there is never
 * one to return: NFS4ERR_STALE_STATEID for a stateid of an earlier boot, otherwise
 * NFS4ERR_BAD_STATEID (special stateids, open and lock stateids, unknown ones).
 */
final class DelegReturnOperation implements Operation {
    private final StateId stateId;

    private DelegReturnOperation(StateId stateId) {
        this.stateId = stateId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new DelegReturnOperation(StateId.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.currentFh();
        throw ctx.server().states().notADelegation(ctx.resolve(stateId));
    }
}
