package org.fsnap.server.compound;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.xdr.XdrOutput;

/** An operation's result: the nfs_resop4 arm after the opcode (status, then any body). */
public interface OpResult {

    int status();

    void encode(XdrOutput out);

    /**
     * A result that sends its data from a borrowed buffer (READ's pooled buffer). The buffer
     * is given back by {@link #release()} once the reply has been sent, or when it will not be;
     * the result is not encoded again afterwards.
     */
    interface Releasable extends OpResult {
        void release();
    }

    static OpResult status(int status) {
        return new StatusResult(status);
    }

    /** A successful result: NFS4_OK, then the body that {@link #encodeBody} writes. */
    interface Ok extends OpResult {
        @Override
        default int status() {
            return Nfs4Status.NFS4_OK;
        }

        @Override
        default void encode(XdrOutput out) {
            out.writeInt(Nfs4Status.NFS4_OK);
            encodeBody(out);
        }

        /** The resok4 body, after the status. */
        void encodeBody(XdrOutput out);
    }

    /** A result that is only a status (void on success). */
    record StatusResult(int status) implements OpResult {
        @Override
        public void encode(XdrOutput out) {
            out.writeInt(status);
        }
    }
}
