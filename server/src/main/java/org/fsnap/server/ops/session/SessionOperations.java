package org.fsnap.server.ops.session;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/** Registers the client and session operations of NFSv4.1 (RFC 8881 section 18.33-18.51). */
public final class SessionOperations {
    private SessionOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.EXCHANGE_ID, ExchangeIdOperation::decode)
                .register(OpCode.CREATE_SESSION, CreateSessionOperation::decode)
                .register(OpCode.DESTROY_SESSION, DestroySessionOperation::decode)
                .register(OpCode.DESTROY_CLIENTID, DestroyClientIdOperation::decode)
                .register(OpCode.SEQUENCE, SequenceOperation::decode)
                .register(OpCode.RECLAIM_COMPLETE, ReclaimCompleteOperation::decode)
                .register(OpCode.BIND_CONN_TO_SESSION, BindConnToSessionOperation::decode)
                .register(OpCode.BACKCHANNEL_CTL, BackchannelCtlOperation::decode);
    }
}
