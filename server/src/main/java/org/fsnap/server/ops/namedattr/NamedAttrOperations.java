package org.fsnap.server.ops.namedattr;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers OPENATTR; everything else inside an attribute directory is an ordinary operation. */
public final class NamedAttrOperations {
    private NamedAttrOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.OPENATTR, OpenattrOperation::decode);
    }
}
