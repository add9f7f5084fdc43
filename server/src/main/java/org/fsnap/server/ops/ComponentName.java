package org.fsnap.server.ops;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.nfs.StrictUtf8;

/**
 * component4 checks of RFC 8881 section 14.5: a name within one directory. Empty →
 * NFS4ERR_INVAL, not UTF-8 → NFS4ERR_INVAL, over 255 bytes → NFS4ERR_NAMETOOLONG,
 * '/' or NUL or "." or ".." → NFS4ERR_BADNAME.
 */
public final class ComponentName {
    public static final int MAX_BYTES = 255;
    /** Decoding bound: larger names are still decoded so NAMETOOLONG can be answered. */
    public static final int MAX_WIRE_BYTES = 4096;

    private ComponentName() {
    }

    public static String validate(byte[] raw) throws NfsException {
        if (raw.length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "empty name");
        }
        String name = StrictUtf8.decode(raw, Nfs4Status.NFS4ERR_INVAL, "name is not UTF-8");
        if (raw.length > MAX_BYTES) {
            throw new NfsException(Nfs4Status.NFS4ERR_NAMETOOLONG, "name over 255 bytes");
        }
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADNAME, "bad name");
        }
        return name;
    }
}
