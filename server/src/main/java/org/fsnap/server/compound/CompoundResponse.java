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

    /** True when a result holds a borrowed buffer ({@link OpResult.Releasable}). */
    public boolean borrows() {
        for (OpResult r : results) {
            if (r instanceof OpResult.Releasable) {
                return true;
            }
        }
        return false;
    }

    /** Gives back every result's borrowed buffer. */
    public void release() {
        for (OpResult r : results) {
            if (r instanceof OpResult.Releasable b) {
                b.release();
            }
        }
    }
}
