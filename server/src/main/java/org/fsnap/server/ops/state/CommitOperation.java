package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * COMMIT (RFC 8881 section 18.3): makes earlier unstable writes of the file durable and
 * returns the write verifier; a client whose verifier changed since its WRITEs resends them.
 */
final class CommitOperation implements Operation {
    private final long offset;
    private final int count;

    private CommitOperation(long offset, int count) {
        this.offset = offset;
        this.count = count;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new CommitOperation(in.readLong(), in.readInt());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        ctx.vfs().commit(file, offset, count & 0xffffffffL);
        return new Result(ctx.server().identity().writeVerifier());
    }

    /** COMMIT4resok. */
    record Result(byte[] verifier) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeFixedOpaque(verifier);
        }
    }
}
