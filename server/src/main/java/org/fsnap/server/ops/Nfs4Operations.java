package org.fsnap.server.ops;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.ops.attribute.AttributeOperations;
import org.fsnap.server.ops.filehandle.FileHandleOperations;
import org.fsnap.server.ops.namedattr.NamedAttrOperations;
import org.fsnap.server.ops.namespace.NamespaceOperations;
import org.fsnap.server.ops.session.SessionOperations;
import org.fsnap.server.ops.state.StateOperations;
import org.fsnap.server.ops.xattr.XattrOperations;

/** Every operation this server offers, by group; anything else is NOTSUPP or OP_ILLEGAL. */
public final class Nfs4Operations {
    private Nfs4Operations() {
    }

    public static OperationRegistry standard() {
        OperationRegistry registry = new OperationRegistry();
        SessionOperations.register(registry);
        FileHandleOperations.register(registry);
        NamespaceOperations.register(registry);
        AttributeOperations.register(registry);
        StateOperations.register(registry);
        XattrOperations.register(registry);
        NamedAttrOperations.register(registry);
        return registry;
    }
}
