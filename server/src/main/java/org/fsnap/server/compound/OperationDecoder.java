package org.fsnap.server.compound;

import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** Decodes one operation's arguments (RFC 8881 nfs_argop4 arm) from the call. */
@FunctionalInterface
public interface OperationDecoder {
    Operation decode(XdrInput in) throws XdrException;
}
