package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** PUTFH (RFC 8881 section 18.19): the filesystem decides BADHANDLE or STALE. */
final class PutFhOperation implements Operation {
    private final byte[] handle;

    private PutFhOperation(byte[] handle) {
        this.handle = handle;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new PutFhOperation(in.readOpaque(Inode.MAX_HANDLE_SIZE));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        if (handle.length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADHANDLE, "empty filehandle");
        }
        ctx.setCurrentFh(ctx.vfs().inodeOf(handle));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
