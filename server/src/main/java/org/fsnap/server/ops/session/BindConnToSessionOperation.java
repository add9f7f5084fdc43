package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * BIND_CONN_TO_SESSION (RFC 8881 section 18.34). With SP4_NONE any connection may carry a
 * session's requests, so binding only confirms the session and the direction.
 */
final class BindConnToSessionOperation implements Operation {
    private static final int CDFC4_FORE = 0x1;
    private static final int CDFC4_BACK = 0x2;
    private static final int CDFS4_FORE = 0x1;
    private static final int CDFS4_BOTH = 0x3;

    private final byte[] sessionId;
    private final int direction;

    private BindConnToSessionOperation(byte[] sessionId, int direction) {
        this.sessionId = sessionId;
        this.direction = direction;
    }

    static Operation decode(XdrInput in) throws XdrException {
        byte[] id = in.readFixedOpaque(SessionTable.SESSION_ID_SIZE);
        int dir = in.readInt();
        in.readBoolean();
        return new BindConnToSessionOperation(id, dir);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ctx.server().sessions().get(sessionId);
        if ((direction & (CDFC4_FORE | CDFC4_BACK)) == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "no channel direction");
        }
        int granted = (direction & CDFC4_BACK) != 0 ? CDFS4_BOTH : CDFS4_FORE;
        return new OpResult.Ok() {
            @Override
            public void encodeBody(XdrOutput out) {
                out.writeFixedOpaque(sessionId).writeInt(granted)
                        .writeBoolean(false);
            }
        };
    }
}
