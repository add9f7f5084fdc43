package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.ops.ChangeInfoResult;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * REMOVEXATTR (RFC 8276 section 8.4.5): removes one extended attribute; NFS4ERR_NOXATTR when
 * there is none.
 *
 * <pre>
 *  struct REMOVEXATTR4args { xattrkey4 rxa_name; };
 *  union REMOVEXATTR4res switch (nfsstat4 rxr_status) { case NFS4_OK: change_info4 rxr_info; default: void; };
 * </pre>
 */
public final class RemovexattrOperation implements Operation {
    private final byte[] name;

    public RemovexattrOperation(byte[] name) {
        this.name = name;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new RemovexattrOperation(XattrNames.read(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        XattrNames.requireMinor2(ctx);
        String key = XattrNames.validate(name);
        VirtualFileSystem vfs = ctx.vfs();
        Inode fh = ctx.currentFh();
        long before = ChangeInfo.changeOf(vfs, fh);
        vfs.removeXattr(ctx.caller(), fh, key);
        return new ChangeInfoResult(ChangeInfo.of(before, ChangeInfo.changeOf(vfs, fh)));
    }
}
