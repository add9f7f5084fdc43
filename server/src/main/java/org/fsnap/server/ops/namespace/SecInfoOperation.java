package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * SECINFO (RFC 8881 section 18.29): the security flavors for a name in the current
 * directory. On success the current filehandle is consumed (section 2.6.3.1.1.8): an
 * operation after it that needs one fails with NFS4ERR_NOFILEHANDLE.
 */
public final class SecInfoOperation implements Operation {
    private final byte[] name;

    public SecInfoOperation(byte[] name) {
        this.name = name;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new SecInfoOperation(Names.readComponent(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = Names.directory(ctx.currentFh(), false);
        String component = ComponentName.validate(name);
        ctx.vfs().lookup(ctx.caller(), dir, component);
        ctx.setCurrentFh(null);
        return SecInfoResult.AUTH_SYS_ONLY;
    }
}
