package org.fsnap.server.ops;

import java.nio.ByteBuffer;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.compound.OperationDecoder;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * Runs single operations the way the COMPOUND processor does: arguments decoded from XDR
 * bytes, thrown statuses turned into {@link Operation#failure}, results encoded to wire bytes.
 * Shared by the operation tests' harnesses.
 */
public final class OpRunner {
    private OpRunner() {
    }

    /** The operation's result, errors included, as the processor would produce it. */
    public static OpResult run(Operation op, CompoundContext ctx) {
        try {
            return op.execute(ctx);
        } catch (NfsException e) {
            return op.failure(e.status());
        } catch (VfsException e) {
            return op.failure(e.error().nfsStatus());
        }
    }

    /** The status of {@link #run}. */
    public static int status(Operation op, CompoundContext ctx) {
        return run(op, ctx).status();
    }

    /** The XDR bytes of a result (status first). */
    public static byte[] encode(OpResult result) {
        try (Xdr xdr = new Xdr(1024)) {
            xdr.beginEncoding();
            result.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            return xdr.getBytes();
        }
    }

    /** {@link #encode} in a buffer. */
    public static ByteBuffer encoded(OpResult result) {
        return ByteBuffer.wrap(encode(result));
    }

    /** Decodes operation arguments from raw XDR bytes. */
    public static Operation decode(OperationDecoder decoder, byte[] args) throws XdrException {
        Xdr xdr = new Xdr(args);
        xdr.beginDecoding();
        return decoder.decode(new XdrInput(xdr));
    }
}
