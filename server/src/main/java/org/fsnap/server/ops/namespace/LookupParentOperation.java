package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrInput;

/**
 * LOOKUPP (RFC 8881 section 18.14): the current filehandle becomes the parent directory;
 * NFS4ERR_NOENT at the root of the export (the filesystem seam answers that).
 */
public final class LookupParentOperation implements Operation {
    private static final LookupParentOperation INSTANCE = new LookupParentOperation();

    public static Operation decode(XdrInput in) {
        return INSTANCE;
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = Names.directory(ctx.currentFh(), true);
        ctx.setCurrentFh(ctx.vfs().parentOf(ctx.caller(), dir));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
