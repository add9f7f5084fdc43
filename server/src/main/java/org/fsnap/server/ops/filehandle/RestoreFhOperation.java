package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;

/** RESTOREFH (RFC 8881 section 18.27): NFS4ERR_RESTOREFH when nothing was saved. */
final class RestoreFhOperation implements Operation {
    static final RestoreFhOperation INSTANCE = new RestoreFhOperation();

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.restoreFh();
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
