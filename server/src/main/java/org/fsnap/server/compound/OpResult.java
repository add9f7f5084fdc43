package org.fsnap.server.compound;

import org.fsnap.server.xdr.XdrOutput;

/** An operation's result: the nfs_resop4 arm after the opcode (status, then any body). */
public interface OpResult {

    int status();

    void encode(XdrOutput out);

    static OpResult status(int status) {
        return new StatusResult(status);
    }

    /** A result that is only a status (void on success). */
    record StatusResult(int status) implements OpResult {
        @Override
        public void encode(XdrOutput out) {
            out.writeInt(status);
        }
    }
}
