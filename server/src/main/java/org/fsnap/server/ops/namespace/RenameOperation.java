package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.ops.DirectoryChanges;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * RENAME (RFC 8881 section 18.26): moves {@code oldname} of the saved directory to
 * {@code newname} of the current directory.
 *
 * <ul>
 *   <li>Both names referring to the same object (the same name, or hard links of one file):
 *       nothing is done and NFS4_OK is returned.</li>
 *   <li>An existing target must be compatible: both non-directories, or both directories
 *       with the target empty; otherwise NFS4ERR_EXIST.</li>
 *   <li>Directories in different filesystems: NFS4ERR_XDEV.</li>
 * </ul>
 */
public final class RenameOperation implements Operation {
    private final byte[] oldname;
    private final byte[] newname;

    public RenameOperation(byte[] oldname, byte[] newname) {
        this.oldname = oldname;
        this.newname = newname;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        byte[] oldname = Names.readComponent(in);
        return new RenameOperation(oldname, Names.readComponent(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode fromDir = Names.directory(ctx.savedFh(), false);
        Inode toDir = Names.directory(ctx.currentFh(), false);
        String from = ComponentName.validate(oldname);
        String to = ComponentName.validate(newname);
        VirtualFileSystem vfs = ctx.vfs();
        Caller caller = ctx.caller();
        Stat fromDirStat = vfs.getattr(fromDir);
        Stat toDirStat = vfs.getattr(toDir);
        if (!Names.sameFilesystem(fromDirStat, toDirStat)) {
            throw new NfsException(Nfs4Status.NFS4ERR_XDEV, "rename across filesystems");
        }
        Stat source = vfs.getattr(vfs.lookup(caller, fromDir, from));
        Stat target = statOrNull(vfs, caller, toDir, to);
        if (target != null) {
            if (Names.sameObject(source, target)) {
                DirectoryChanges changes = ctx.server().directoryChanges();
                return new Result(changes.unchanged(fromDirStat.change()), changes.unchanged(toDirStat.change()));
            }
            boolean sourceIsDir = source.type() == FileType.DIRECTORY;
            boolean targetIsDir = target.type() == FileType.DIRECTORY;
            if (sourceIsDir != targetIsDir) {
                throw new NfsException(Nfs4Status.NFS4ERR_EXIST,
                        "target exists and is not of the source's kind");
            }
        }
        DirectoryChanges.Moved moved = ctx.server().directoryChanges().in(vfs, fromDir, toDir, () -> {
            try {
                vfs.rename(caller, fromDir, from, toDir, to);
                return null;
            } catch (VfsException e) {
                VfsError err = e.error();
                if (err == VfsError.NOTEMPTY || err == VfsError.ISDIR || err == VfsError.NOTDIR) {
                    // The target is a non-empty directory, or (after a race) of the other kind.
                    throw new NfsException(Nfs4Status.NFS4ERR_EXIST, "incompatible target: " + err);
                }
                throw e;
            }
        });
        return new Result(moved.from(), moved.to());
    }

    private static Stat statOrNull(VirtualFileSystem vfs, Caller caller, Inode dir, String name)
            throws VfsException {
        try {
            return vfs.getattr(vfs.lookup(caller, dir, name));
        } catch (VfsException e) {
            if (e.error() == VfsError.NOENT) {
                return null;
            }
            throw e;
        }
    }

    /** RENAME4resok: source_cinfo, target_cinfo. */
    record Result(ChangeInfo sourceInfo, ChangeInfo targetInfo) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            sourceInfo.encode(out);
            targetInfo.encode(out);
        }
    }
}
