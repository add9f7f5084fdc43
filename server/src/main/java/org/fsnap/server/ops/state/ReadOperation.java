package org.fsnap.server.ops.state;

import java.nio.ByteBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.OpaqueBufferPool;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * READ (RFC 8881 section 18.22). The stateid is an open or lock stateid of this file with
 * read access (else NFS4ERR_OPENMODE / stateid errors), or the anonymous or READ-bypass
 * stateid, for which the caller's read permission is checked. The count is capped so that
 * the reply fits the session's maximum response size.
 */
final class ReadOperation implements Operation {
    /** The most one READ returns (the maxread attribute should say no more). */
    static final int MAX_READ = 1024 * 1024;
    /**
     * Room in a reply for everything but the data: RPC reply header with an AUTH_NONE verifier
     * (24 bytes), COMPOUND header with a tag of up to 64 bytes (76), SEQUENCE (44), PUTFH (8)
     * and READ's own header (16), rounded up. It must stay below what clients add to their
     * read size when they ask for the session's maximum response (Linux adds about 900 bytes):
     * a larger margin makes every full-size READ short, and the client then sends a second
     * READ for the last few hundred bytes, doubling the round trips of a sequential read.
     */
    static final int REPLY_OVERHEAD = 256;

    private final StateId stateId;
    private final long offset;
    private final int count;

    private ReadOperation(StateId stateId, long offset, int count) {
        this.stateId = stateId;
        this.offset = offset;
        this.count = count;
    }

    static Operation decode(XdrInput in) throws XdrException {
        return new ReadOperation(StateId.decode(in), in.readLong(), in.readInt());
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode file = ctx.currentFh();
        StateChecks.requireRegular(file);
        StateId id = ctx.resolve(stateId);
        boolean opened = ctx.server().states().checkIo(ctx.client(), file, id, false);
        if (!opened) {
            StateChecks.requireAccess(ctx, file, true, false);
        }
        if (offset < 0) {
            // Beyond 2^63: no file is that large.
            return new Result(true, ByteBuffer.allocate(0), null);
        }
        int n = (int) Math.min(count & 0xffffffffL, limit(ctx.session()));
        if (n >= FileView.MIN_LENGTH) {
            FileView view = view(ctx, file, opened, n);
            if (view != null) {
                return new Result(view.eof(), view.bytes(), view::close);
            }
        }
        OpaqueBufferPool.Lease lease = OpaqueBufferPool.SHARED.take(n);
        try {
            ByteBuffer data = lease.data();
            boolean eof = readInto(ctx, file, opened, data);
            data.flip();
            return new Result(eof, data, lease::close);
        } catch (VfsException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The bytes lent by the file system, or null when it copies them instead. */
    private FileView view(CompoundContext ctx, Inode file, boolean opened, int n) throws VfsException {
        try {
            return ctx.vfs().readView(ctx.caller(), file, offset, n);
        } catch (VfsException e) {
            if (!opened || e.error() != VfsError.ACCESS) {
                throw e;
            }
            return ctx.vfs().readView(StateChecks.OPENED, file, offset, n); // as in readInto
        }
    }

    /** Fills {@code data} from {@code offset}; true at the end of the file. */
    private boolean readInto(CompoundContext ctx, Inode file, boolean opened, ByteBuffer data) throws VfsException {
        Caller caller = ctx.caller();
        while (data.hasRemaining()) {
            int r;
            try {
                r = ctx.vfs().read(caller, file, data, offset + data.position());
            } catch (VfsException e) {
                if (!opened || caller == StateChecks.OPENED || e.error() != VfsError.ACCESS) {
                    throw e;
                }
                // Permission was granted at OPEN (the mode may have changed since).
                caller = StateChecks.OPENED;
                continue;
            }
            if (r < 0) {
                return true;
            }
            if (r == 0) {
                break;
            }
        }
        return offset + data.position() >= ctx.vfs().getattr(file).size();
    }

    static int limit(Session session) {
        if (session == null) {
            return MAX_READ;
        }
        return Math.max(0, Math.min(MAX_READ,
                session.foreChannel().maxResponseSize() - REPLY_OVERHEAD));
    }

    /**
     * READ4resok. The data is sent as it is, without a copy into the reply: from the file's own
     * pages ({@link FileView}) or from a pooled buffer. Either goes back once the reply has been
     * sent ({@link #release()}). It is duplicated on each encoding because a reply may be encoded
     * twice (reply cache).
     */
    record Result(boolean eof, ByteBuffer data, Runnable giveBack)
            implements OpResult.Ok, OpResult.Releasable {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeBoolean(eof).writeOpaqueShared(data.duplicate());
        }

        @Override
        public void release() {
            if (giveBack != null) {
                giveBack.run();
            }
        }
    }
}
