package org.fsnap.server.ops.namespace;

import java.nio.charset.StandardCharsets;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/** READLINK (RFC 8881 section 18.24): the text of the symbolic link at the current filehandle. */
public final class ReadLinkOperation implements Operation {
    private static final ReadLinkOperation INSTANCE = new ReadLinkOperation();

    public static Operation decode(XdrInput in) {
        return INSTANCE;
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode link = ctx.currentFh();
        if (link.type() != FileType.SYMLINK) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "not a symbolic link");
        }
        String target = ctx.vfs().readlink(ctx.caller(), link);
        return new Result(target.getBytes(StandardCharsets.UTF_8));
    }

    /** READLINK4resok: linktext4 link. */
    record Result(byte[] link) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeOpaque(link);
        }
    }
}
