package org.fsnap.server.xdr;

import org.dcache.oncrpc4j.rpc.OncRpcException;

/** Arguments that cannot be decoded: a length beyond its bound, truncation, a bad union arm. */
public class XdrException extends OncRpcException {
    public XdrException(String message) {
        super(message);
    }
}
