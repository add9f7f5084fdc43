package org.fsnap.server.ops.state;

import org.fsnap.server.compound.OperationRegistry;

/** Registers the state operations. */
public final class StateOperations {
    private StateOperations() {
    }

    public static void register(OperationRegistry registry) {
    }
}
