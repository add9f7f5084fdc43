package org.fsnap.server.ops.namedattr;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.namedattr.NamedAttributeSupport;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * OPENATTR (RFC 8881 section 18.17): the current filehandle becomes the named attribute
 * directory of the object it was. Inside it, LOOKUP, OPEN, READ, WRITE, READDIR, REMOVE and
 * GETATTR are the ordinary operations (the filesystem seam serves the attribute view).
 *
 * <pre>
 *  struct OPENATTR4args { bool createdir; };
 *  struct OPENATTR4res { nfsstat4 status; };
 * </pre>
 *
 * NFS4ERR_WRONG_TYPE on a named attribute or attribute directory; NFS4ERR_NOTSUPP when the
 * server or the object has no named attributes.
 */
public final class OpenattrOperation implements Operation {
    private final boolean createDir;

    public OpenattrOperation(boolean createDir) {
        this.createDir = createDir;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new OpenattrOperation(in.readBoolean());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode fh = ctx.currentFh();
        if (fh.type() == FileType.NAMED_ATTR || fh.type() == FileType.NAMED_ATTR_DIR) {
            throw new NfsException(Nfs4Status.NFS4ERR_WRONG_TYPE, "already a named attribute");
        }
        if (!(ctx.vfs() instanceof NamedAttributeSupport support)) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTSUPP, "no named attributes here");
        }
        ctx.setCurrentFh(support.openAttributes(ctx.caller(), fh, createDir));
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
