package org.fsnap.server.ops.session;

import org.fsnap.server.state.ChannelAttributes;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/** channel_attrs4 on the wire; ca_rdma_ird is read and never offered. */
final class ChannelAttributesCodec {
    private ChannelAttributesCodec() {
    }

    static ChannelAttributes decode(XdrInput in) throws XdrException {
        ChannelAttributes a = new ChannelAttributes(in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt());
        int ird = in.readLength(1);
        for (int i = 0; i < ird; i++) {
            in.readInt();
        }
        return a;
    }

    static void encode(ChannelAttributes a, XdrOutput out) {
        out.writeInt(a.headerPadSize()).writeInt(a.maxRequestSize()).writeInt(a.maxResponseSize())
                .writeInt(a.maxResponseSizeCached()).writeInt(a.maxOperations())
                .writeInt(a.maxRequests()).writeInt(0);
    }
}
