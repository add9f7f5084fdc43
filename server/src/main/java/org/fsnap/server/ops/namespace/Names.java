package org.fsnap.server.ops.namespace;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/** Checks shared by the namespace operations. */
final class Names {
    private Names() {
    }

    /** A component4 as it came off the wire; checked by {@link ComponentName#validate}. */
    static byte[] readComponent(XdrInput in) throws XdrException {
        return in.readOpaque(ComponentName.MAX_WIRE_BYTES);
    }

    /**
     * The directory an operation works in. RFC 8881 section 15.2 gives NFS4ERR_SYMLINK to
     * LOOKUP and LOOKUPP when the filehandle is a symbolic link; the other directory
     * operations answer NFS4ERR_NOTDIR for every non-directory. A named attribute directory
     * (OPENATTR, section 5.3) is a directory for all of them.
     */
    static Inode directory(Inode fh, boolean symlinkError) throws NfsException {
        if (fh.type() == FileType.DIRECTORY || fh.type() == FileType.NAMED_ATTR_DIR) {
            return fh;
        }
        if (symlinkError && fh.type() == FileType.SYMLINK) {
            throw new NfsException(Nfs4Status.NFS4ERR_SYMLINK, "filehandle is a symbolic link");
        }
        throw new NfsException(Nfs4Status.NFS4ERR_NOTDIR, "filehandle is not a directory");
    }

    /** Whether two objects live in the same filesystem (same fsid). */
    static boolean sameFilesystem(Stat a, Stat b) {
        return a.fsidMajor() == b.fsidMajor() && a.fsidMinor() == b.fsidMinor();
    }

    /** Whether two attribute sets describe the very same object (e.g. two hard links). */
    static boolean sameObject(Stat a, Stat b) {
        return sameFilesystem(a, b) && a.fileId() == b.fileId();
    }
}
