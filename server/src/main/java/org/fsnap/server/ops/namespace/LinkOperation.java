package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfoResult;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * LINK (RFC 8881 section 18.9): a new name in the current directory for the object of the
 * saved filehandle. Directories cannot be linked (NFS4ERR_ISDIR); both must be in the same
 * filesystem (NFS4ERR_XDEV).
 */
public final class LinkOperation implements Operation {
    private final byte[] newname;

    public LinkOperation(byte[] newname) {
        this.newname = newname;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new LinkOperation(Names.readComponent(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode source = ctx.savedFh();
        Inode dir = Names.directory(ctx.currentFh(), false);
        if (source.type() == FileType.DIRECTORY) {
            throw new NfsException(Nfs4Status.NFS4ERR_ISDIR, "cannot link a directory");
        }
        String name = ComponentName.validate(newname);
        VirtualFileSystem vfs = ctx.vfs();
        if (!Names.sameFilesystem(vfs.getattr(source), vfs.getattr(dir))) {
            throw new NfsException(Nfs4Status.NFS4ERR_XDEV, "link across filesystems");
        }
        return new ChangeInfoResult(ctx.server().directoryChanges().in(vfs, dir, () -> {
            vfs.link(ctx.caller(), source, dir, name);
            return null;
        }).info());
    }
}
