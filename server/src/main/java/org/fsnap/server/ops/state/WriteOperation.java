package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.OpaqueBufferPool;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * WRITE (RFC 8881 section 18.32). The stateid is an open or lock stateid of this file with
 * write access (else NFS4ERR_OPENMODE / stateid errors), or a special stateid, for which the
 * caller's write permission is checked. Returns what was written, how stably, and the
 * server's write verifier (which changes on restart, so clients resend unstable data).
 */
final class WriteOperation implements Operation {
    /** Decoding bound for the data; the session's maximum request size is below it. */
    static final int MAX_WRITE = 2 * 1024 * 1024;

    private final StateId stateId;
    private final long offset;
    private final Stability stable;
    /** The data, in a pooled buffer that goes back once the COMPOUND is done. */
    private final OpaqueBufferPool.Lease data;

    private WriteOperation(StateId stateId, long offset, Stability stable, OpaqueBufferPool.Lease data) {
        this.stateId = stateId;
        this.offset = offset;
        this.stable = stable;
        this.data = data;
    }

    static Operation decode(XdrInput in) throws XdrException {
        StateId stateId = StateId.decode(in);
        long offset = in.readLong();
        int how = in.readInt();
        Stability stable = Stability.ofNfsValue(how);
        if (stable == null) {
            throw new XdrException("bad stable_how4 " + how);
        }
        return new WriteOperation(stateId, offset, stable, in.readOpaqueBuffer(MAX_WRITE));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        StateId id = ctx.resolve(stateId);
        boolean opened = ctx.server().states().checkIo(ctx.client(), file, id, true);
        if (!opened) {
            StateChecks.requireAccess(ctx, file, false, true);
        }
        int length = data.length();
        if (offset < 0 || offset + length < 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_FBIG, "write beyond 2^63");
        }
        byte[] verifier = ctx.server().identity().writeVerifier();
        if (length == 0) {
            return new Result(0, Stability.FILE_SYNC, verifier);
        }
        Stability done;
        try {
            // As the caller, so that the filesystem does what a write by them does (such as
            // clearing set-user-ID).
            done = ctx.vfs().write(ctx.caller(), file, data.data(), offset, stable);
        } catch (VfsException e) {
            if (!opened || e.error() != VfsError.ACCESS) {
                throw e;
            }
            // Permission was granted at OPEN (the mode may have changed since).
            done = ctx.vfs().write(StateChecks.OPENED, file, data.data(), offset, stable);
        }
        return new Result(length, done, verifier);
    }

    @Override
    public void release() {
        data.close();
    }

    /** WRITE4resok. */
    record Result(int count, Stability committed, byte[] verifier) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeInt(count).writeInt(committed.nfsValue())
                    .writeFixedOpaque(verifier);
        }
    }
}
