package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * SECINFO_NO_NAME (RFC 8881 section 18.45): the security flavors for the current filehandle
 * (SECINFO_STYLE4_CURRENT_FH) or for its parent directory (SECINFO_STYLE4_PARENT;
 * NFS4ERR_NOENT at the root). Like SECINFO, it consumes the current filehandle.
 */
public final class SecInfoNoNameOperation implements Operation {
    public static final int STYLE_CURRENT_FH = 0;
    public static final int STYLE_PARENT = 1;

    private final int style;

    public SecInfoNoNameOperation(int style) {
        this.style = style;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        int style = in.readInt();
        if (style != STYLE_CURRENT_FH && style != STYLE_PARENT) {
            throw new XdrException("bad secinfo_style4 " + style);
        }
        return new SecInfoNoNameOperation(style);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode fh = ctx.currentFh();
        if (style == STYLE_PARENT) {
            ctx.vfs().parentOf(ctx.caller(), Names.directory(fh, false));
        }
        ctx.setCurrentFh(null);
        return SecInfoResult.AUTH_SYS_ONLY;
    }
}
