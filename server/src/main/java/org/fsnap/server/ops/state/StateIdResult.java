package org.fsnap.server.ops.state;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrOutput;

/** A successful result that is one stateid (CLOSE, OPEN_DOWNGRADE, LOCKU). */
record StateIdResult(StateId stateId) implements OpResult.Ok {
    @Override
    public void encodeBody(XdrOutput out) {
        stateId.encode(out);
    }
}
