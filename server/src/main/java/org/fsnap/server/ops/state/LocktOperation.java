package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.LockDenied;
import org.fsnap.server.state.StateOwner;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * LOCKT (RFC 8881 section 18.11): would this lock be granted? NFS4ERR_DENIED with the
 * conflicting lock if not. Creates no state; the owner need not exist.
 */
final class LocktOperation implements Operation {
    private final int lockType;
    private final long offset;
    private final long length;
    private final byte[] owner;

    private LocktOperation(int lockType, long offset, long length, byte[] owner) {
        this.lockType = lockType;
        this.offset = offset;
        this.length = length;
        this.owner = owner;
    }

    static Operation decode(XdrInput in) throws XdrException {
        int lockType = in.readInt();
        long offset = in.readLong();
        long length = in.readLong();
        in.readLong(); // clientid of the lock_owner4: the session's client counts
        return new LocktOperation(lockType, offset, length,
                in.readOpaque(StateOwner.MAX_OWNER_BYTES));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        StateChecks.requireNoGrace(ctx);
        LockDenied denied = ctx.server().states().testLock(ctx.client(), file, owner, lockType,
                offset, length);
        return denied == null ? LockResult.failed(Nfs4Status.NFS4_OK) : LockResult.denied(denied);
    }

    @Override
    public OpResult failure(int status) {
        return LockResult.failed(status);
    }
}
