package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** BACKCHANNEL_CTL (RFC 8881 section 18.33): accepted; this server never calls back. */
final class BackchannelCtlOperation implements Operation {
    private static final int MAX_SEC_PARMS = 16;

    static Operation decode(XdrInput in) throws XdrException {
        in.readInt();
        int parms = in.readLength(MAX_SEC_PARMS);
        for (int i = 0; i < parms; i++) {
            CreateSessionOperation.skipCallbackSecParms(in);
        }
        return new BackchannelCtlOperation();
    }

    @Override
    public OpResult execute(CompoundContext ctx) {
        return OpResult.status(Nfs4Status.NFS4_OK);
    }
}
