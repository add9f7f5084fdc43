package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfoResult;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * REMOVE (RFC 8881 section 18.25): removes a non-directory or an empty directory from the
 * current directory (NFS4ERR_NOTEMPTY otherwise, from the filesystem seam).
 */
public final class RemoveOperation implements Operation {
    private final byte[] target;

    public RemoveOperation(byte[] target) {
        this.target = target;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new RemoveOperation(Names.readComponent(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = Names.directory(ctx.currentFh(), false);
        String name = ComponentName.validate(target);
        VirtualFileSystem vfs = ctx.vfs();
        return new ChangeInfoResult(ctx.server().directoryChanges().in(vfs, dir, () -> {
            vfs.remove(ctx.caller(), dir, name);
            return null;
        }).info());
    }
}
