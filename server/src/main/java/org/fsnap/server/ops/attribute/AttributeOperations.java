package org.fsnap.server.ops.attribute;

import org.fsnap.server.compound.OperationRegistry;

/** Registers the attribute operations. */
public final class AttributeOperations {
    private AttributeOperations() {
    }

    public static void register(OperationRegistry registry) {
    }
}
