package org.fsnap.server.ops.xattr;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.nfs.StrictUtf8;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * xattrkey4 checks (RFC 8276 section 8.3). Names travel without the {@code user.} prefix
 * (the Linux client strips it and adds it back), so a name may be at most
 * XATTR_NAME_MAX − 5 = 250 bytes. Unlike component4, '/' is allowed (Linux allows it in
 * xattr names); NUL is not.
 */
final class XattrNames {
    /** XATTR_NAME_MAX (255) minus "user.". */
    static final int MAX_BYTES = 250;
    /** Decoding bound: longer names are still decoded so NAMETOOLONG can be answered. */
    static final int MAX_WIRE_BYTES = 4096;
    /** XATTR_SIZE_MAX: the largest value any Linux filesystem keeps. */
    static final int MAX_VALUE = 65536;
    /** Decoding bound for values: larger ones are read so XATTR2BIG can be answered. */
    static final int MAX_WIRE_VALUE = 1 << 20;

    private XattrNames() {
    }

    static byte[] read(XdrInput in) throws XdrException {
        return in.readOpaque(MAX_WIRE_BYTES);
    }

    static String validate(byte[] raw) throws NfsException {
        if (raw.length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "empty xattr name");
        }
        String name = StrictUtf8.decode(raw, Nfs4Status.NFS4ERR_INVAL, "xattr name is not UTF-8");
        if (raw.length > MAX_BYTES) {
            throw new NfsException(Nfs4Status.NFS4ERR_NAMETOOLONG, "xattr name over 250 bytes");
        }
        if (name.indexOf('\0') >= 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "xattr name with NUL");
        }
        return name;
    }

    /** The xattr operations exist from NFSv4.2 on. */
    static void requireMinor2(CompoundContext ctx) throws NfsException {
        if (ctx.minorVersion() < 2) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTSUPP, "xattr operations need NFSv4.2");
        }
    }
}
