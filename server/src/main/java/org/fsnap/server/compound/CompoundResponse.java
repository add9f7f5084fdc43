package org.fsnap.server.compound;

import java.util.List;
import org.fsnap.server.xdr.XdrOutput;

/** COMPOUND4res: overall status (that of the last operation), tag and results. */
public record CompoundResponse(int status, byte[] tag, List<Integer> opcodes,
                               List<OpResult> results) {

    public void encode(XdrOutput out) {
        out.writeInt(status).writeOpaque(tag).writeInt(results.size());
        for (int i = 0; i < results.size(); i++) {
            out.writeInt(opcodes.get(i));
            results.get(i).encode(out);
        }
    }

    /** Releases every result's borrowed buffers ({@link OpResult#release()}). */
    public void release() {
        for (OpResult r : results) {
            r.release();
        }
    }
}
