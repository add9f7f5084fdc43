package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * CLOSE (RFC 8881 section 18.2): ends an open of the current file. Byte-range locks still
 * held through it are released with it (the server MAY do so). The stateid returned is the
 * invalid special stateid, as section 18.2.4 suggests: it must not be used again.
 */
final class CloseOperation implements Operation {
    private final StateId stateId;

    private CloseOperation(StateId stateId) {
        this.stateId = stateId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        in.readInt(); // seqid: not used in NFSv4.1
        return new CloseOperation(StateId.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.server().states().close(ctx.client(), ctx.currentFh(), ctx.resolve(stateId));
        ctx.setCurrentStateId(StateId.INVALID);
        return new StateIdResult(StateId.INVALID);
    }
}
