package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers the NFSv4.2 extended attribute operations of RFC 8276. */
public final class XattrOperations {
    private XattrOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.GETXATTR, GetxattrOperation::decode);
        registry.register(OpCode.SETXATTR, SetxattrOperation::decode);
        registry.register(OpCode.LISTXATTRS, ListxattrsOperation::decode);
        registry.register(OpCode.REMOVEXATTR, RemovexattrOperation::decode);
    }
}
