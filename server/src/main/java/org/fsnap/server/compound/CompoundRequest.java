package org.fsnap.server.compound;

import java.util.List;

/**
 * A decoded COMPOUND4args (RFC 8881 section 16.2). Decoding stops at the first operation the
 * server cannot execute (unknown, not offered, or malformed arguments), which is placed last:
 * the COMPOUND stops there anyway.
 *
 * @param opcodes the opcode of each decoded operation, as it goes into the reply
 */
public record CompoundRequest(byte[] tag, int minorVersion, List<Integer> opcodes,
                              List<Operation> operations) {

    /** Releases what the operations' arguments borrowed, once they have run (or will not). */
    public void release() {
        for (Operation op : operations) {
            op.release();
        }
    }
}
