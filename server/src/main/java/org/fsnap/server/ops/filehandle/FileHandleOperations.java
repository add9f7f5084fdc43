package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.OperationRegistry;

/** Registers the filehandle operations. */
public final class FileHandleOperations {
    private FileHandleOperations() {
    }

    public static void register(OperationRegistry registry) {
    }
}
