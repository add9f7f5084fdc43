package org.fsnap.server.compound;

import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.VfsException;

/**
 * One decoded NFSv4 operation of a COMPOUND, holding its arguments. Operations are small
 * classes, one per opcode; they read and change the {@link CompoundContext} and speak to the
 * filesystem seam. Failures are thrown and become the operation's result.
 */
public interface Operation {

    OpResult execute(CompoundContext ctx) throws NfsException, VfsException;

    /** The result to send when {@link #execute} failed with {@code status}. */
    default OpResult failure(int status) {
        return OpResult.status(status);
    }

    /**
     * Gives back what decoding borrowed (a pooled buffer); called once the COMPOUND is done,
     * whether this operation ran or not.
     */
    default void release() {
    }
}
