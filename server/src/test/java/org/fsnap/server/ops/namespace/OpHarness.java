package org.fsnap.server.ops.namespace;

import java.nio.ByteBuffer;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.ServerContext;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/** Runs single operations against a filesystem the way the COMPOUND processor does. */
final class OpHarness {
    final VirtualFileSystem vfs;
    final ServerContext server;

    OpHarness(VirtualFileSystem vfs) {
        this.vfs = vfs;
        this.server = new ServerContext(vfs, null, null, null, null,
                new org.fsnap.server.attr.OwnerMapper("localdomain"), 90);
    }

    CompoundContext context(Caller caller) {
        return new CompoundContext(server, caller, 1);
    }

    CompoundContext context(Caller caller, Inode current) {
        CompoundContext ctx = context(caller);
        ctx.setCurrentFh(current);
        return ctx;
    }

    /** Saved filehandle {@code saved}, current filehandle {@code current}. */
    CompoundContext context(Caller caller, Inode saved, Inode current) throws NfsException {
        CompoundContext ctx = context(caller, saved);
        ctx.saveFh();
        ctx.setCurrentFh(current);
        return ctx;
    }

    /** The operation's result, errors included, as the processor would produce it. */
    static OpResult run(Operation op, CompoundContext ctx) {
        try {
            return op.execute(ctx);
        } catch (NfsException e) {
            return op.failure(e.status());
        } catch (VfsException e) {
            return op.failure(e.error().nfsStatus());
        }
    }

    static int status(Operation op, CompoundContext ctx) {
        return run(op, ctx).status();
    }

    /** The XDR bytes of a result (status first). */
    static ByteBuffer encoded(OpResult result) {
        try (Xdr xdr = new Xdr(1024)) {
            xdr.beginEncoding();
            result.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            return ByteBuffer.wrap(xdr.getBytes());
        }
    }

    /** Decodes operation arguments from raw XDR bytes. */
    static Operation decode(org.fsnap.server.compound.OperationDecoder decoder, byte[] args)
            throws XdrException {
        Xdr xdr = new Xdr(args);
        xdr.beginDecoding();
        return decoder.decode(new XdrInput(xdr));
    }
}
