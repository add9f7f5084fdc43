package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.xdr.XdrOutput;

/** A successful result whose body is one change_info4 (REMOVE4resok, LINK4resok). */
record ChangeInfoResult(ChangeInfo cinfo) implements OpResult {
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
