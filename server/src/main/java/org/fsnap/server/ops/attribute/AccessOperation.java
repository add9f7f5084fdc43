package org.fsnap.server.ops.attribute;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * ACCESS (RFC 8881 section 18.1): which of the requested access rights the caller holds on
 * the current filehandle. {@code supported} names the requested bits that mean something for
 * the object's type: LOOKUP and DELETE only for directories; the extended-attribute bits of
 * RFC 8276 section 8.4.1 only where the object supports extended attributes. Bits outside
 * those the protocol defines are NFS4ERR_INVAL.
 */
public final class AccessOperation implements Operation {
    static final int ALL_DEFINED = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND
            | Access.DELETE | Access.EXECUTE | Access.XAREAD | Access.XAWRITE | Access.XALIST;
    private static final int XATTR_BITS = Access.XAREAD | Access.XAWRITE | Access.XALIST;
    private static final int DIRECTORY_BITS = Access.READ | Access.LOOKUP | Access.MODIFY
            | Access.EXTEND | Access.DELETE;
    private static final int FILE_BITS = Access.READ | Access.MODIFY | Access.EXTEND
            | Access.EXECUTE;

    private final int requested;

    AccessOperation(int requested) {
        this.requested = requested;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new AccessOperation(in.readInt());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        if ((requested & ~ALL_DEFINED) != 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL,
                    "undefined access bits " + Integer.toHexString(requested & ~ALL_DEFINED));
        }
        Inode inode = ctx.currentFh();
        VirtualFileSystem vfs = ctx.vfs();
        int meaningful = inode.type() == FileType.DIRECTORY ? DIRECTORY_BITS : FILE_BITS;
        if ((requested & XATTR_BITS) != 0 && vfs.xattrSupported(inode)) {
            meaningful |= XATTR_BITS;
        }
        int supported = requested & meaningful;
        int granted = supported == 0 ? 0 : vfs.access(ctx.caller(), inode, supported) & supported;
        return new Result(supported, granted);
    }

    /** ACCESS4resok: supported, access. */
    record Result(int supported, int access) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeInt(supported).writeInt(access);
        }
    }
}
