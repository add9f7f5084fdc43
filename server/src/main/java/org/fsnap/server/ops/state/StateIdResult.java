package org.fsnap.server.ops.state;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrOutput;

/** A successful result that is one stateid (CLOSE, OPEN_DOWNGRADE, LOCKU). */
record StateIdResult(StateId stateId) implements OpResult {
    @Override
    public int status() {
        return Nfs4Status.NFS4_OK;
    }

    @Override
    public void encode(XdrOutput out) {
        out.writeInt(Nfs4Status.NFS4_OK);
        stateId.encode(out);
    }
}
