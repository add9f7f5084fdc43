package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.OperationRegistry;

/** Registers the namespace operations. */
public final class NamespaceOperations {
    private NamespaceOperations() {
    }

    public static void register(OperationRegistry registry) {
    }
}
