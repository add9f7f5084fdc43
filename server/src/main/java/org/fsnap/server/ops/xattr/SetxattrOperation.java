package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.ops.ChangeInfoResult;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.snapshot.SnapshotControl;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * SETXATTR (RFC 8276 section 8.4.3): sets one extended attribute of the current filehandle.
 * SETXATTR4_CREATE fails with NFS4ERR_EXIST when the name is taken, SETXATTR4_REPLACE with
 * NFS4ERR_NOXATTR when it is not; values over 64 KiB are NFS4ERR_XATTR2BIG.
 *
 * <pre>
 *  enum setxattr_option4 { SETXATTR4_EITHER = 0, SETXATTR4_CREATE = 1, SETXATTR4_REPLACE = 2 };
 *  struct SETXATTR4args { setxattr_option4 sxa_option; xattrkey4 sxa_key; xattrvalue4 sxa_value; };
 *  union SETXATTR4res switch (nfsstat4 sxr_status) { case NFS4_OK: change_info4 sxr_info; default: void; };
 * </pre>
 *
 * <p>change_info4 is the object's change attribute before and after, not atomic. One
 * exception: a snapshot revert ({@code user.fsnap.revert}) rewrites the file's data in place.
 * A Linux client adopts change_info's "after" as the change attribute it holds and drops its
 * cached attributes and xattrs, but it drops cached data only when a later GETATTR shows a
 * change attribute other than the one it holds. Reporting the true "after" would leave the
 * pre-revert data in its cache; reporting "before" would keep its cached xattrs
 * ({@code user.fsnap.current}). So for a revert "after" is {@link #REVERT_MARK} applied to
 * "before": a value a live file's change attribute never takes (the top bit set), so the client
 * drops its cached attributes and xattrs now, and its cached data at its next GETATTR (at the
 * next open at the latest), which shows the real value.
 */
public final class SetxattrOperation implements Operation {
    /** XORed into "before" to make a revert's "after" (see the class comment). */
    static final long REVERT_MARK = Long.MIN_VALUE;

    private final int option;
    private final byte[] name;
    private final byte[] value;

    public SetxattrOperation(int option, byte[] name, byte[] value) {
        this.option = option;
        this.name = name;
        this.value = value;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        int option = in.readInt();
        byte[] name = XattrNames.read(in);
        byte[] value = in.readOpaque(XattrNames.MAX_WIRE_VALUE);
        return new SetxattrOperation(option, name, value);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        XattrNames.requireMinor2(ctx);
        XattrSetMode mode = switch (option) {
            case 0 -> XattrSetMode.EITHER;
            case 1 -> XattrSetMode.CREATE;
            case 2 -> XattrSetMode.REPLACE;
            default -> throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "setxattr option " + option);
        };
        String key = XattrNames.validate(name);
        if (value.length > XattrNames.MAX_VALUE) {
            throw new NfsException(Nfs4Status.NFS4ERR_XATTR2BIG, value.length + " bytes");
        }
        VirtualFileSystem vfs = ctx.vfs();
        Inode fh = ctx.currentFh();
        long before = ChangeInfo.changeOf(vfs, fh);
        vfs.setXattr(ctx.caller(), fh, key, value, mode);
        long after = SnapshotControl.changesContent(key) ? before ^ REVERT_MARK : ChangeInfo.changeOf(vfs, fh);
        return new ChangeInfoResult(ChangeInfo.of(before, after));
    }
}
