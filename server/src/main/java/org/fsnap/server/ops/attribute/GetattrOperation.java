package org.fsnap.server.ops.attribute;

import org.fsnap.server.attr.AttributeId;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.Fattr4;
import org.fsnap.server.attr.Fattr4Encoder;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * GETATTR (RFC 8881 section 18.7): the requested attributes of the current filehandle that
 * this server supports; the others are left out of the reply bitmap. Write-only attributes
 * are NFS4ERR_INVAL. A removed object is NFS4ERR_STALE (from the filesystem).
 */
public final class GetattrOperation implements Operation {
    private final Bitmap4 requested;

    GetattrOperation(Bitmap4 requested) {
        this.requested = requested;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new GetattrOperation(Bitmap4.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        if (requested.intersects(AttributeId.writeOnly())) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "GETATTR of a write-only attribute");
        }
        Inode inode = ctx.currentFh();
        Stat stat = ctx.vfs().getattr(inode);
        return new Result(Fattr4Encoder.of(ctx).encode(requested, inode, stat));
    }

    /** GETATTR4resok: obj_attributes. */
    record Result(Fattr4 attributes) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            attributes.encode(out);
        }
    }
}
