package org.fsnap.server.ops.namespace;

import java.nio.ByteBuffer;
import org.fsnap.server.ServerContext;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.OpRunner;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;

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
        return OpRunner.run(op, ctx);
    }

    static int status(Operation op, CompoundContext ctx) {
        return OpRunner.status(op, ctx);
    }

    /** The XDR bytes of a result (status first). */
    static ByteBuffer encoded(OpResult result) {
        return OpRunner.encoded(result);
    }

    /** Decodes operation arguments from raw XDR bytes. */
    static Operation decode(org.fsnap.server.compound.OperationDecoder decoder, byte[] args)
            throws XdrException {
        return OpRunner.decode(decoder, args);
    }
}
