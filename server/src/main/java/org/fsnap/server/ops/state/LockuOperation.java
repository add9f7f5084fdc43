package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * LOCKU (RFC 8881 section 18.12): releases the lock-owner's locks in a range, splitting any
 * that reach beyond it. The lock stateid stays valid even when no lock is left.
 */
final class LockuOperation implements Operation {
    private final int lockType;
    private final StateId stateId;
    private final long offset;
    private final long length;

    private LockuOperation(int lockType, StateId stateId, long offset, long length) {
        this.lockType = lockType;
        this.stateId = stateId;
        this.offset = offset;
        this.length = length;
    }

    static Operation decode(XdrInput in) throws XdrException {
        int lockType = in.readInt();
        in.readInt(); // seqid: not used in NFSv4.1
        StateId stateId = StateId.decode(in);
        return new LockuOperation(lockType, stateId, in.readLong(), in.readLong());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        if (lockType < StateTable.READ_LT || lockType > StateTable.WRITEW_LT) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "lock type " + lockType);
        }
        StateId unlocked = ctx.server().states().unlock(ctx.client(), file, ctx.resolve(stateId),
                offset, length);
        ctx.setCurrentStateId(unlocked);
        return new StateIdResult(unlocked);
    }
}
