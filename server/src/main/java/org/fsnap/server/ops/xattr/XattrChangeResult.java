package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.xdr.XdrOutput;

/** SETXATTR4res / REMOVEXATTR4res on success: the object's change_info4. */
record XattrChangeResult(ChangeInfo cinfo) implements OpResult {
    @Override
    public int status() {
        return Nfs4Status.NFS4_OK;
    }

    @Override
    public void encode(XdrOutput out) {
        out.writeInt(Nfs4Status.NFS4_OK);
        cinfo.encode(out);
    }
}
