package org.fsnap.server.ops.state;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.GracePeriod;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;

/** Checks shared by the state operations. */
final class StateChecks {
    /**
     * Who READ and WRITE act as when an open or lock stateid authorises them but the caller
     * is refused by the filesystem: permission was checked when the file was opened, as with
     * POSIX open(2) followed by read(2)/write(2) after a chmod.
     */
    static final Caller OPENED = Caller.root();

    private StateChecks() {
    }

    /**
     * The object must be a regular file or a named attribute, which is used like one
     * (RFC 8881 sections 5.3, 18.22.3, 18.32.3 and others): NFS4ERR_ISDIR for a directory or
     * attribute directory, NFS4ERR_SYMLINK for a symbolic link, else NFS4ERR_WRONG_TYPE.
     */
    static void requireRegular(Inode inode) throws NfsException {
        FileType t = inode.type();
        if (t == FileType.REGULAR || t == FileType.NAMED_ATTR) {
            return;
        }
        int status = switch (t) {
            case DIRECTORY, NAMED_ATTR_DIR -> Nfs4Status.NFS4ERR_ISDIR;
            case SYMLINK -> Nfs4Status.NFS4ERR_SYMLINK;
            default -> Nfs4Status.NFS4ERR_WRONG_TYPE;
        };
        throw new NfsException(status, "not a regular file: " + t);
    }

    /** Non-reclaim OPEN, LOCK and LOCKT wait for the grace period to end (section 8.4.2). */
    static void requireNoGrace(CompoundContext ctx) throws NfsException {
        if (grace(ctx).inGrace(System.nanoTime())) {
            throw new NfsException(Nfs4Status.NFS4ERR_GRACE, "grace period after restart");
        }
    }

    /**
     * A reclaim (CLAIM_PREVIOUS, LOCK with reclaim) needs the grace period, a client that held
     * state before the restart, and no RECLAIM_COMPLETE yet (section 8.4.2.1).
     */
    static void requireReclaim(CompoundContext ctx, ClientRecord client) throws NfsException {
        if (!grace(ctx).inGrace(System.nanoTime()) || client.isReclaimComplete()) {
            throw new NfsException(Nfs4Status.NFS4ERR_NO_GRACE, "not reclaiming now");
        }
        if (!client.isReclaiming()) {
            throw new NfsException(Nfs4Status.NFS4ERR_RECLAIM_BAD, "no state before the restart");
        }
    }

    private static GracePeriod grace(CompoundContext ctx) {
        return ctx.server().clients().grace();
    }

    /**
     * Permission to use a file for reading (read, or execute: the client enforces the
     * difference, as with knfsd) and/or writing.
     */
    static void requireAccess(CompoundContext ctx, Inode file, boolean read, boolean write)
            throws NfsException, VfsException {
        if (write) {
            // a read-only export: NFS4ERR_ROFS ("Read-only file system"), not ACCESS
            ctx.vfs().checkWritable(ctx.caller(), file);
        }
        int granted = ctx.vfs().access(ctx.caller(), file,
                Access.READ | Access.EXECUTE | Access.MODIFY);
        if (read && (granted & (Access.READ | Access.EXECUTE)) == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_ACCESS, "no read permission");
        }
        if (write && (granted & Access.MODIFY) == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_ACCESS, "no write permission");
        }
    }
}
