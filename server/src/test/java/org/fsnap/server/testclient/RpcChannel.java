package org.fsnap.server.testclient;

import java.io.Closeable;
import java.io.IOException;

/** Carries ONC RPC calls (RFC 5531) to one server. */
public interface RpcChannel extends Closeable {
    /** NFS: program 100003, version 4. */
    int NFS_PROGRAM = 100003;
    int NFS_VERSION = 4;

    /**
     * One call; returns the procedure's result bytes.
     *
     * @throws RpcCallFailedException when the reply is not SUCCESS
     */
    byte[] call(int program, int version, int procedure, AuthSys cred, byte[] args)
            throws IOException;
}
