package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers the namespace operations: names in directories, links, security info. */
public final class NamespaceOperations {
    private NamespaceOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.LOOKUP, LookupOperation::decode);
        registry.register(OpCode.LOOKUPP, LookupParentOperation::decode);
        registry.register(OpCode.CREATE, CreateOperation::decode);
        registry.register(OpCode.REMOVE, RemoveOperation::decode);
        registry.register(OpCode.RENAME, RenameOperation::decode);
        registry.register(OpCode.LINK, LinkOperation::decode);
        registry.register(OpCode.READLINK, ReadLinkOperation::decode);
        registry.register(OpCode.SECINFO, SecInfoOperation::decode);
        registry.register(OpCode.SECINFO_NO_NAME, SecInfoNoNameOperation::decode);
    }
}
