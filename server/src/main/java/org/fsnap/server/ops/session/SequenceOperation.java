package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.Slot;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * SEQUENCE (RFC 8881 section 18.46): admits the request on a slot, renews the lease, and
 * answers retransmissions from the slot's reply cache.
 */
final class SequenceOperation implements Operation {
    private final byte[] sessionId;
    private final int sequenceId;
    private final int slotId;
    private final int highestSlotId;
    private final boolean cacheThis;

    private SequenceOperation(byte[] sessionId, int sequenceId, int slotId, int highestSlotId,
                              boolean cacheThis) {
        this.sessionId = sessionId;
        this.sequenceId = sequenceId;
        this.slotId = slotId;
        this.highestSlotId = highestSlotId;
        this.cacheThis = cacheThis;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new SequenceOperation(in.readFixedOpaque(SessionTable.SESSION_ID_SIZE), in.readInt(),
                in.readInt(), in.readInt(), in.readBoolean());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        Session session = ctx.server().sessions().get(sessionId);
        Slot slot = session.slot(slotId);
        if (slot == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADSLOT, "slot " + slotId);
        }
        if (ctx.operationCount() > session.foreChannel().maxOperations()) {
            throw new NfsException(Nfs4Status.NFS4ERR_TOO_MANY_OPS);
        }
        switch (slot.admit(sequenceId)) {
            case REPLAY -> {
                byte[] cached = slot.cachedReply();
                if (cached == null) {
                    throw new NfsException(Nfs4Status.NFS4ERR_RETRY_UNCACHED_REP);
                }
                ctx.replayWith(cached);
                return OpResult.status(Nfs4Status.NFS4_OK);
            }
            case IN_PROGRESS -> throw new NfsException(Nfs4Status.NFS4ERR_DELAY);
            case MISORDERED -> throw new NfsException(Nfs4Status.NFS4ERR_SEQ_MISORDERED);
            case NEW_REQUEST -> {
                // handled below
            }
        }
        session.client().renew(System.nanoTime());
        ctx.bindSession(session, slot, cacheThis);
        int highest = session.slotCount() - 1;
        return new Result(sessionId, sequenceId, slotId, highest);
    }

    private record Result(byte[] sessionId, int sequenceId, int slotId, int highestSlot)
            implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeFixedOpaque(sessionId).writeInt(sequenceId)
                    .writeInt(slotId).writeInt(highestSlot).writeInt(highestSlot).writeInt(0);
        }
    }
}
