package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** LOOKUP (RFC 8881 section 18.15): the current filehandle becomes the named object. */
public final class LookupOperation implements Operation {
    private final byte[] objname;

    public LookupOperation(byte[] objname) {
        this.objname = objname;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new LookupOperation(Names.readComponent(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = Names.directory(ctx.currentFh(), true);
        String name = ComponentName.validate(objname);
        ctx.setCurrentFh(ctx.vfs().lookup(ctx.caller(), dir, name));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
