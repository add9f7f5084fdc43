package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * OPEN_DOWNGRADE (RFC 8881 section 18.18): reduces the access and deny of an open to the
 * union of some of the OPENs it was made of (else NFS4ERR_INVAL). Delegation want bits in
 * share_access are ignored.
 */
final class OpenDowngradeOperation implements Operation {
    private final StateId stateId;
    private final int shareAccess;
    private final int shareDeny;

    private OpenDowngradeOperation(StateId stateId, int shareAccess, int shareDeny) {
        this.stateId = stateId;
        this.shareAccess = shareAccess;
        this.shareDeny = shareDeny;
    }

    static Operation decode(XdrInput in) throws XdrException {
        StateId stateId = StateId.decode(in);
        in.readInt(); // seqid: not used in NFSv4.1
        return new OpenDowngradeOperation(stateId, in.readInt(), in.readInt());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        StateId downgraded = ctx.server().states().downgrade(ctx.client(), ctx.currentFh(),
                ctx.resolve(stateId), shareAccess & OpenOperation.ACCESS_MASK, shareDeny);
        ctx.setCurrentStateId(downgraded);
        return new StateIdResult(downgraded);
    }
}
