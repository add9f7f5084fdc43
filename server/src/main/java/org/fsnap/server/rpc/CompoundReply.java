package org.fsnap.server.rpc;

import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;
import org.fsnap.server.compound.CompoundProcessor;
import org.fsnap.server.xdr.XdrOutput;

/** Encodes COMPOUND4res, or replays the exact bytes cached for a retransmitted request. */
final class CompoundReply implements XdrAble {
    private final CompoundProcessor.Outcome outcome;

    CompoundReply(CompoundProcessor.Outcome outcome) {
        this.outcome = outcome;
    }

    @Override
    public void xdrEncode(XdrEncodingStream xdr) {
        if (outcome.replay() != null) {
            byte[] b = outcome.replay();
            xdr.xdrEncodeOpaque(b, 0, b.length);
        } else {
            outcome.response().encode(new XdrOutput(xdr));
        }
    }

    @Override
    public void xdrDecode(XdrDecodingStream xdr) {
        throw new UnsupportedOperationException("server side only encodes COMPOUND4res");
    }
}
