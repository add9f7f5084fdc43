package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;

/** SAVEFH (RFC 8881 section 18.32). */
final class SaveFhOperation implements Operation {
    static final SaveFhOperation INSTANCE = new SaveFhOperation();

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.saveFh();
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
