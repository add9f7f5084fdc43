package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers the operations that set, save and return filehandles. */
public final class FileHandleOperations {
    private FileHandleOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.PUTFH, PutFhOperation::decode)
                .register(OpCode.PUTROOTFH, in -> PutRootFhOperation.INSTANCE)
                .register(OpCode.PUTPUBFH, in -> PutRootFhOperation.INSTANCE)
                .register(OpCode.GETFH, in -> GetFhOperation.INSTANCE)
                .register(OpCode.SAVEFH, in -> SaveFhOperation.INSTANCE)
                .register(OpCode.RESTOREFH, in -> RestoreFhOperation.INSTANCE);
    }
}
