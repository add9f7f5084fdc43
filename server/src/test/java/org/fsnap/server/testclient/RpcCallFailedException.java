package org.fsnap.server.testclient;

import java.io.IOException;

/** The server answered a call, but not with SUCCESS (GARBAGE_ARGS, PROC_UNAVAIL, denied...). */
public final class RpcCallFailedException extends IOException {
    private final RpcReplyMessage reply;

    public RpcCallFailedException(RpcReplyMessage reply) {
        super(reply == null ? "RPC call failed" : reply.toString());
        this.reply = reply;
    }

    public RpcCallFailedException(String message) {
        super(message);
        this.reply = null;
    }

    /** The reply, when it was decoded (raw connections); null otherwise. */
    public RpcReplyMessage reply() {
        return reply;
    }
}
