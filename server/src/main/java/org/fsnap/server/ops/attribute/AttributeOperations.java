package org.fsnap.server.ops.attribute;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers the attribute operations: GETATTR, SETATTR, VERIFY, NVERIFY, ACCESS, READDIR. */
public final class AttributeOperations {
    private AttributeOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.GETATTR, GetattrOperation::decode);
        registry.register(OpCode.SETATTR, SetattrOperation::decode);
        registry.register(OpCode.VERIFY, VerifyOperation::decodeVerify);
        registry.register(OpCode.NVERIFY, VerifyOperation::decodeNverify);
        registry.register(OpCode.ACCESS, AccessOperation::decode);
        registry.register(OpCode.READDIR, ReaddirOperation::decode);
    }
}
