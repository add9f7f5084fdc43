package org.fsnap.server.ops.attribute;

import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.DecodedAttributes;
import org.fsnap.server.attr.Fattr4;
import org.fsnap.server.attr.Fattr4Decoder;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * SETATTR (RFC 8881 section 18.30): mode, owner, owner_group, size, time_access_set and
 * time_modify_set of the current filehandle. The result carries attrsset on success and on
 * failure alike; the changes are applied in one filesystem call, so after a failure it is
 * empty. Permission checks (owner for chmod/chown, write access for size and explicit
 * times) are the filesystem's. Size is only for regular files: NFS4ERR_ISDIR on a directory,
 * NFS4ERR_INVAL on anything else.
 *
 * <p>The stateid is resolved (the "current stateid" is replaced) and, for a size change,
 * checked with {@link StateTable#checkIo}: an open/lock stateid needs write access
 * (NFS4ERR_OPENMODE), a special stateid must not be denied by a share reservation
 * (NFS4ERR_LOCKED). For other attributes the stateid is not consulted.
 */
public final class SetattrOperation implements Operation {
    private final StateId stateid;
    private final Fattr4 attributes;

    SetattrOperation(StateId stateid, Fattr4 attributes) {
        this.stateid = stateid;
        this.attributes = attributes;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        StateId stateid = StateId.decode(in);
        return new SetattrOperation(stateid, Fattr4.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode inode = ctx.currentFh();
        DecodedAttributes decoded = Fattr4Decoder.toSetAttributes(attributes, ctx.server().owners());
        SetAttributes changes = decoded.changes();
        StateId sid = ctx.resolve(stateid);
        if (changes.size() != null) {
            if (inode.type() == FileType.DIRECTORY) {
                throw new NfsException(Nfs4Status.NFS4ERR_ISDIR, "size of a directory");
            }
            if (inode.type() != FileType.REGULAR) {
                throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "size of a " + inode.type());
            }
            checkWriteState(ctx, inode, sid);
        }
        if (!changes.isEmpty()) {
            ctx.vfs().setattr(ctx.caller(), inode, changes);
        }
        return new Result(Nfs4Status.NFS4_OK, decoded.attrsSet());
    }

    /**
     * A size change is a write (RFC 8881 section 18.30.4): the stateid must be one of this
     * client's open/lock stateids for the file with write access, or a special stateid no
     * share reservation denies writing to.
     */
    private static void checkWriteState(CompoundContext ctx, Inode inode, StateId sid)
            throws NfsException {
        StateTable states = ctx.server().states();
        if (states == null) {
            return;
        }
        boolean special = StateId.ANONYMOUS.equals(sid) || StateId.READ_BYPASS.equals(sid);
        ClientRecord client = special && ctx.session() == null ? null : ctx.client();
        states.checkIo(client, inode, sid, true);
    }

    @Override
    public OpResult failure(int status) {
        return new Result(status, Bitmap4.EMPTY);
    }

    /** SETATTR4res: status and attrsset, whatever the status. */
    record Result(int status, Bitmap4 attrsset) implements OpResult {
        @Override
        public void encode(XdrOutput out) {
            out.writeInt(status);
            attrsset.encode(out);
        }
    }
}
