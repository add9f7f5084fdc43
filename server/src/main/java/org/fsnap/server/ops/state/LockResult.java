package org.fsnap.server.ops.state;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.state.LockDenied;
import org.fsnap.server.state.StateId;
import org.fsnap.server.xdr.XdrOutput;

/**
 * LOCK4res and LOCKT4res: a lock stateid on success (LOCK only), LOCK4denied with
 * NFS4ERR_DENIED, nothing with any other status.
 */
record LockResult(int status, StateId stateId, LockDenied denied) implements OpResult {

    static LockResult granted(StateId stateId) {
        return new LockResult(Nfs4Status.NFS4_OK, stateId, null);
    }

    static LockResult denied(LockDenied denied) {
        return new LockResult(Nfs4Status.NFS4ERR_DENIED, null, denied);
    }

    static LockResult failed(int status) {
        return new LockResult(status, null, null);
    }

    @Override
    public void encode(XdrOutput out) {
        out.writeInt(status);
        if (status == Nfs4Status.NFS4_OK && stateId != null) {
            stateId.encode(out);
        } else if (status == Nfs4Status.NFS4ERR_DENIED && denied != null) {
            denied.encode(out);
        }
    }
}
