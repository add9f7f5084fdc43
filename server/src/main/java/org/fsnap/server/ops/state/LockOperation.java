package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateOwner;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * LOCK (RFC 8881 section 18.10): a byte-range lock for a lock-owner, either new to the file
 * (open_to_lock_owner4, from an open stateid) or with its lock stateid. A conflict with
 * another owner's lock is NFS4ERR_DENIED with that lock; the blocking lock types are
 * treated as the plain ones (the client polls). Reclaims only in the grace period; other
 * locks only outside it.
 */
final class LockOperation implements Operation {
    private final int lockType;
    private final boolean reclaim;
    private final long offset;
    private final long length;
    private final boolean newLockOwner;
    private final StateId stateId;
    private final byte[] lockOwner;

    private LockOperation(int lockType, boolean reclaim, long offset, long length,
                          boolean newLockOwner, StateId stateId, byte[] lockOwner) {
        this.lockType = lockType;
        this.reclaim = reclaim;
        this.offset = offset;
        this.length = length;
        this.newLockOwner = newLockOwner;
        this.stateId = stateId;
        this.lockOwner = lockOwner;
    }

    static Operation decode(XdrInput in) throws XdrException {
        int lockType = in.readInt();
        boolean reclaim = in.readBoolean();
        long offset = in.readLong();
        long length = in.readLong();
        boolean newLockOwner = in.readBoolean();
        if (newLockOwner) {
            in.readInt(); // open_seqid: not used in NFSv4.1
            StateId openStateId = StateId.decode(in);
            in.readInt(); // lock_seqid
            in.readLong(); // clientid of the lock_owner4: the session's client counts
            byte[] owner = in.readOpaque(StateOwner.MAX_OWNER_BYTES);
            return new LockOperation(lockType, reclaim, offset, length, true, openStateId, owner);
        }
        StateId lockStateId = StateId.decode(in);
        in.readInt(); // lock_seqid
        return new LockOperation(lockType, reclaim, offset, length, false, lockStateId, null);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        ClientRecord client = ctx.client();
        if (reclaim) {
            StateChecks.requireReclaim(ctx, client);
        } else {
            StateChecks.requireNoGrace(ctx);
        }
        StateTable states = ctx.server().states();
        StateId id = ctx.resolve(stateId);
        StateTable.LockOutcome outcome = newLockOwner
                ? states.lockNewOwner(client, file, id, lockOwner, lockType, offset, length)
                : states.lock(client, file, id, lockType, offset, length);
        if (!outcome.granted()) {
            return LockResult.denied(outcome.denied());
        }
        ctx.setCurrentStateId(outcome.stateId());
        return LockResult.granted(outcome.stateId());
    }

    @Override
    public OpResult failure(int status) {
        return LockResult.failed(status);
    }
}
