package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * SEEK (RFC 7862 section 15.11, NFSv4.2 only). The filesystem seam knows no holes, so a
 * file is data from 0 to its size with the virtual hole at the end: SEEK_DATA from inside
 * the file stays where it is, SEEK_HOLE goes to the end (sr_eof). From the end or beyond,
 * NFS4ERR_NXIO.
 */
final class SeekOperation implements Operation {
    static final int NFS4_CONTENT_DATA = 0;
    static final int NFS4_CONTENT_HOLE = 1;

    private final StateId stateId;
    private final long offset;
    private final int what;

    private SeekOperation(StateId stateId, long offset, int what) {
        this.stateId = stateId;
        this.offset = offset;
        this.what = what;
    }

    static Operation decode(XdrInput in) throws XdrException {
        StateId stateId = StateId.decode(in);
        long offset = in.readLong();
        int what = in.readInt();
        if (what != NFS4_CONTENT_DATA && what != NFS4_CONTENT_HOLE) {
            throw new XdrException("bad data_content4 " + what);
        }
        return new SeekOperation(stateId, offset, what);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        if (ctx.minorVersion() < 2) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTSUPP, "SEEK is NFSv4.2");
        }
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        ctx.server().states().checkIo(ctx.client(), file, ctx.resolve(stateId), false);
        long size = ctx.vfs().getattr(file).size();
        if (offset < 0 || offset >= size) {
            throw new NfsException(Nfs4Status.NFS4ERR_NXIO, "seek from end of file");
        }
        boolean data = what == NFS4_CONTENT_DATA;
        return new Result(!data, data ? offset : size);
    }

    /** seek_res4. */
    record Result(boolean eof, long offset) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeBoolean(eof).writeLong(offset);
        }
    }
}
