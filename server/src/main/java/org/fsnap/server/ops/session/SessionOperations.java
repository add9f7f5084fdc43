package org.fsnap.server.ops.session;

import org.fsnap.server.compound.OperationRegistry;

/** Registers the session operations. */
public final class SessionOperations {
    private SessionOperations() {
    }

    public static void register(OperationRegistry registry) {
    }
}
