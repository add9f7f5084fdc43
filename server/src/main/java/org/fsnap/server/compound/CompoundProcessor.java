package org.fsnap.server.compound;

import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.ServerContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.state.Slot;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a COMPOUND: operations in order until one fails (RFC 8881 section 16.2.3), with the
 * NFSv4.1 session rules: SEQUENCE first, or one of the few operations allowed alone. Every
 * failure, expected or not, becomes a status on the wire.
 */
public final class CompoundProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(CompoundProcessor.class);

    private final ServerContext server;
    private final OperationObserver observer;

    public CompoundProcessor(ServerContext server) {
        this(server, OperationObserver.NONE);
    }

    public CompoundProcessor(ServerContext server, OperationObserver observer) {
        this.server = server;
        this.observer = observer;
    }

    /** The outcome: either results to encode or, for a retransmission, the cached reply. */
    public record Outcome(CompoundResponse response, byte[] replay) {
        /** True when the reply must be sent before {@link #release()}: see {@link OpResult.Releasable}. */
        public boolean borrows() {
            return response != null && response.borrows();
        }

        /** Once the reply has left (or cannot): see {@link OpResult.Releasable}. */
        public void release() {
            if (response != null) {
                response.release();
            }
        }
    }

    public Outcome process(CompoundRequest request, Caller caller) {
        observer.compound();
        int minor = request.minorVersion();
        if (minor != 1 && minor != 2) {
            return new Outcome(new CompoundResponse(Nfs4Status.NFS4ERR_MINOR_VERS_MISMATCH,
                    request.tag(), List.of(), List.of()), null);
        }
        CompoundContext ctx = new CompoundContext(server, caller, minor);
        List<Integer> opcodes = request.opcodes();
        List<OpResult> results = new ArrayList<>(opcodes.size());
        int status = Nfs4Status.NFS4_OK;
        boolean completed = false;
        try {
            for (int i = 0; i < opcodes.size(); i++) {
                ctx.moveTo(i, opcodes.size());
                int opcode = opcodes.get(i);
                Operation op = request.operations().get(i);
                int violation = sessionRuleViolation(opcode, i, opcodes.size());
                long start = System.nanoTime();
                OpResult result = violation != Nfs4Status.NFS4_OK
                        ? op.failure(violation) : execute(op, opcode, ctx);
                observer.operation(opcode, result.status(), System.nanoTime() - start);
                if (ctx.replay() != null) {
                    return new Outcome(null, ctx.replay());
                }
                results.add(result);
                status = result.status();
                if (status != Nfs4Status.NFS4_OK) {
                    break;
                }
            }
            CompoundResponse response = new CompoundResponse(status, request.tag(), opcodes, results);
            completeSlot(ctx, response);
            completed = true;
            return new Outcome(response, null);
        } finally {
            // A slot must never stay "in progress", or the client's next request on it hangs.
            if (!completed && ctx.slot() != null && ctx.replay() == null) {
                ctx.slot().complete(null);
            }
        }
    }

    private static final int[] ALONE_WITHOUT_SEQUENCE = {
        OpCode.EXCHANGE_ID, OpCode.CREATE_SESSION, OpCode.DESTROY_SESSION,
        OpCode.DESTROY_CLIENTID, OpCode.BIND_CONN_TO_SESSION
    };

    private static boolean mayStandAlone(int opcode) {
        for (int o : ALONE_WITHOUT_SEQUENCE) {
            if (o == opcode) {
                return true;
            }
        }
        return false;
    }

    /** RFC 8881 section 2.10.5 / 18.46: where SEQUENCE and the session-less ops may stand. */
    private static int sessionRuleViolation(int opcode, int position, int count) {
        if (position == 0) {
            if (opcode == OpCode.SEQUENCE || opcode == OpCode.ILLEGAL
                    || !OperationRegistry.isKnown(opcode)) {
                return Nfs4Status.NFS4_OK;
            }
            if (!mayStandAlone(opcode)) {
                return Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION;
            }
            return count > 1 && opcode != OpCode.DESTROY_SESSION
                    ? Nfs4Status.NFS4ERR_NOT_ONLY_OP : Nfs4Status.NFS4_OK;
        }
        return opcode == OpCode.SEQUENCE ? Nfs4Status.NFS4ERR_SEQUENCE_POS : Nfs4Status.NFS4_OK;
    }

    private OpResult execute(Operation op, int opcode, CompoundContext ctx) {
        try {
            return op.execute(ctx);
        } catch (NfsException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("op {} failed: {} {}", opcode, e.status(), e.getMessage());
            }
            return op.failure(e.status());
        } catch (VfsException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("op {} failed: {} {}", opcode, e.error(), e.getMessage());
            }
            return op.failure(e.error().nfsStatus());
        } catch (RuntimeException e) {
            LOG.error("op {} failed unexpectedly", opcode, e);
            return op.failure(Nfs4Status.NFS4ERR_SERVERFAULT);
        }
    }

    /** Ends the slot's request, keeping the encoded reply when the client asked for it. */
    private static void completeSlot(CompoundContext ctx, CompoundResponse response) {
        Slot slot = ctx.slot();
        if (slot == null) {
            return;
        }
        slot.complete(ctx.cacheThis() ? encode(response) : null);
    }

    static byte[] encode(CompoundResponse response) {
        try (Xdr xdr = new Xdr(Xdr.INITIAL_XDR_SIZE)) {
            xdr.beginEncoding();
            response.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            return xdr.getBytes();
        }
    }
}
