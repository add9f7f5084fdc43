package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * GETXATTR (RFC 8276 section 8.4.2): the value of one extended attribute of the current
 * filehandle. NFS4ERR_NOXATTR when there is none; permission is the filesystem's to check.
 *
 * <pre>
 *  struct GETXATTR4args { xattrkey4 gxa_name; };
 *  union GETXATTR4res switch (nfsstat4 gxr_status) { case NFS4_OK: xattrvalue4 gxr_value; default: void; };
 * </pre>
 */
public final class GetxattrOperation implements Operation {
    private final byte[] name;

    public GetxattrOperation(byte[] name) {
        this.name = name;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new GetxattrOperation(XattrNames.read(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        XattrNames.requireMinor2(ctx);
        String key = XattrNames.validate(name);
        byte[] value = ctx.vfs().getXattr(ctx.caller(), ctx.currentFh(), key);
        return new Result(value);
    }

    record Result(byte[] value) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeOpaque(value);
        }
    }
}
