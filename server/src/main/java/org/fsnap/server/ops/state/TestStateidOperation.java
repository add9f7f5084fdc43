package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * TEST_STATEID (RFC 8881 section 18.48): the status each stateid would get if used now.
 * Special stateids (including "current") are not tested: NFS4ERR_BAD_STATEID.
 */
final class TestStateidOperation implements Operation {
    /** Far more than a client has reason to test at once; bounds decoding. */
    static final int MAX_STATEIDS = 1024;

    private final StateId[] stateIds;

    private TestStateidOperation(StateId[] stateIds) {
        this.stateIds = stateIds;
    }

    static Operation decode(XdrInput in) throws XdrException {
        StateId[] ids = new StateId[in.readLength(MAX_STATEIDS)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = StateId.decode(in);
        }
        return new TestStateidOperation(ids);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ClientRecord client = ctx.client();
        StateTable states = ctx.server().states();
        int[] codes = new int[stateIds.length];
        for (int i = 0; i < stateIds.length; i++) {
            codes[i] = stateIds[i].isSpecial() ? Nfs4Status.NFS4ERR_BAD_STATEID
                    : states.test(client, stateIds[i]);
        }
        return new Result(codes);
    }

    /** TEST_STATEID4resok: one status per stateid asked about. */
    record Result(int[] codes) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeInt(codes.length);
            for (int c : codes) {
                out.writeInt(c);
            }
        }
    }
}
