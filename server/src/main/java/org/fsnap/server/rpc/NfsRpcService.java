package org.fsnap.server.rpc;

import java.net.InetSocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcDispatchable;
import org.dcache.oncrpc4j.xdr.XdrVoid;
import org.fsnap.server.compound.CompoundProcessor;
import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.vfs.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NFS program, version 4 (RFC 8881 section 16): NULL and COMPOUND. Nothing thrown here
 * may reach the transport: undecodable arguments get GARBAGE_ARGS, anything else SYSTEM_ERR.
 * It is called on the I/O thread that read the call; {@link WorkPlacement} decides whether a
 * COMPOUND runs there or on the worker pool.
 */
public final class NfsRpcService implements RpcDispatchable {
    public static final int PROGRAM = 100003;
    public static final int VERSION = 4;
    private static final int PROC_NULL = 0;
    private static final int PROC_COMPOUND = 1;
    private static final Logger LOG = LoggerFactory.getLogger(NfsRpcService.class);

    private final OperationRegistry registry;
    private final CompoundProcessor processor;
    private final CredentialMapper credentials;
    private final Executor workers;
    private final WorkPlacement placement;

    /** A service that runs every COMPOUND on the thread that calls it. */
    public NfsRpcService(OperationRegistry registry, CompoundProcessor processor,
                         CredentialMapper credentials) {
        this(registry, processor, credentials, Runnable::run, WorkPlacement.standalone());
    }

    /**
     * @param workers where COMPOUNDs that move data or may wait run
     * @param placement which COMPOUNDs run on the calling I/O thread instead
     */
    public NfsRpcService(OperationRegistry registry, CompoundProcessor processor,
                         CredentialMapper credentials, Executor workers, WorkPlacement placement) {
        this.registry = registry;
        this.processor = processor;
        this.credentials = credentials;
        this.workers = workers;
        this.placement = placement;
    }

    @Override
    public void dispatchOncRpcCall(RpcCall call) {
        try {
            switch (call.getProcedure()) {
                case PROC_NULL -> call.reply(XdrVoid.XDR_VOID);
                case PROC_COMPOUND -> compound(call);
                default -> call.failProcedureUnavailable();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("RPC xid {} failed", call.getXid(), e);
            safely(call::failRpcSystem);
        }
    }

    private void compound(RpcCall call) {
        CompoundCall args = new CompoundCall(registry);
        try {
            call.retrieveCall(args);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("garbage COMPOUND from {}: {}", call.getTransport().getRemoteSocketAddress(),
                    e.toString());
            if (args.request() != null) {
                args.request().release();
            }
            safely(call::failRpcGarbage);
            return;
        }
        Caller caller = credentials.map(call);
        if (placement.runsInline(args.request().opcodes())) {
            process(call, args, caller);
            return;
        }
        try {
            workers.execute(() -> process(call, args, caller));
        } catch (RejectedExecutionException e) {
            args.request().release();
            safely(call::failRpcSystem); // the server is stopping
        }
    }

    private void process(RpcCall call, CompoundCall args, Caller caller) {
        CompoundProcessor.Outcome outcome = null;
        try {
            try {
                outcome = processor.process(args.request(), caller);
            } finally {
                // before the reply leaves: the client's next WRITE may follow at once
                args.request().release();
            }
            // READ data is sent from pooled buffers: they go back once the reply is written
            // (or the write failed), not before. Only then: oncrpc4j tells its listeners
            // through a parallel stream, which costs more than a small reply.
            if (outcome.borrows()) {
                call.registerSendOnceListener(new ReleaseWhenSent(outcome));
            }
            call.reply(new CompoundReply(outcome));
        } catch (RuntimeException | Error e) {
            LOG.error("RPC xid {} failed", call.getXid(), e);
            if (outcome != null) {
                outcome.release();
            }
            safely(call::failRpcSystem);
        }
    }

    /** Releases an outcome's borrowed buffers when its reply has been sent or has failed. */
    private record ReleaseWhenSent(CompoundProcessor.Outcome outcome)
            implements CompletionHandler<Integer, InetSocketAddress> {
        @Override
        public void completed(Integer written, InetSocketAddress to) {
            outcome.release();
        }

        @Override
        public void failed(Throwable cause, InetSocketAddress to) {
            outcome.release();
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("could not send an error reply: {}", e.toString());
        }
    }
}
