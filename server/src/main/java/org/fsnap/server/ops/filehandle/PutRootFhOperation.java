package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.vfs.VfsException;

/**
 * PUTROOTFH and PUTPUBFH (RFC 8881 sections 18.21, 18.20): the export is the root of the
 * NFSv4 namespace, and the public filehandle is the same as the root.
 */
final class PutRootFhOperation implements Operation {
    static final PutRootFhOperation INSTANCE = new PutRootFhOperation();

    @Override
    public OpResult execute(CompoundContext ctx) throws VfsException {
        ctx.setCurrentFh(ctx.vfs().root());
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
