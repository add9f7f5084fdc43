package org.fsnap.server.attr;

import static org.fsnap.server.attr.AttributeId.*;

/**
 * Which attributes this server can encode, which it lets clients set, which it offers (the
 * supported_attrs value: both), and which may be set with an EXCLUSIVE4_1 create
 * (suppattr_exclcreat).
 */
public final class SupportedAttributes {

    /** Everything readable this server encodes, for minor version 2. */
    public static final Bitmap4 READABLE_V42 = Bitmap4.of(
            SUPPORTED_ATTRS, TYPE, FH_EXPIRE_TYPE, CHANGE, SIZE, LINK_SUPPORT, SYMLINK_SUPPORT,
            NAMED_ATTR, FSID, UNIQUE_HANDLES, LEASE_TIME, RDATTR_ERROR, ACLSUPPORT, CANSETTIME,
            CASE_INSENSITIVE, CASE_PRESERVING, CHOWN_RESTRICTED, FILEHANDLE, FILEID,
            FILES_AVAIL, FILES_FREE, FILES_TOTAL, HOMOGENEOUS, MAXFILESIZE, MAXLINK, MAXNAME,
            MAXREAD, MAXWRITE, MODE, NO_TRUNC, NUMLINKS, OWNER, OWNER_GROUP, RAWDEV,
            SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL, SPACE_USED, TIME_ACCESS, TIME_CREATE,
            TIME_DELTA, TIME_METADATA, TIME_MODIFY, MOUNTED_ON_FILEID, FS_LAYOUT_TYPE,
            SUPPATTR_EXCLCREAT, XATTR_SUPPORT);

    /** Attributes SETATTR / CREATE / OPEN may set. */
    public static final Bitmap4 SETTABLE = Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP,
            TIME_ACCESS_SET, TIME_MODIFY_SET);

    /**
     * suppattr_exclcreat (RFC 8881 section 5.8.1.14): what EXCLUSIVE4_1 createattrs may carry.
     * Not the times: the server keeps the create verifier in time_access/time_modify.
     */
    public static final Bitmap4 EXCLCREAT = Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP);

    /** Every attribute this server understands (readable or settable), for minor version 2. */
    public static final Bitmap4 ALL_V42 = READABLE_V42.or(SETTABLE);

    private static final Bitmap4 MINOR1_ONLY;

    static {
        int[] w = new int[MAX_DEFINED / 32 + 1];
        for (int b = 0; b <= MAX_MINOR1; b++) {
            w[b >>> 5] |= 1 << (b & 31);
        }
        MINOR1_ONLY = Bitmap4.ofWords(w);
    }

    /** Attributes supported at all under this minor version (readable or settable). */
    public static Bitmap4 all(int minorVersion) {
        return minorVersion >= 2 ? ALL_V42 : ALL_V42.and(MINOR1_ONLY);
    }

    /**
     * The supported_attrs value for this minor version: every attribute this server reads or
     * sets, the write-only time_access_set and time_modify_set included (RFC 8881 section
     * 5.8.1.1). Clients send in SETATTR only what is named here: the Linux client masks its
     * bitmap with it, so leaving out the settable times made it send an empty SETATTR for
     * {@code touch} and {@code utimensat}.
     */
    public static Bitmap4 supported(int minorVersion) {
        return all(minorVersion);
    }

    /** What GETATTR, READDIR and VERIFY can encode under this minor version. */
    public static Bitmap4 readable(int minorVersion) {
        return minorVersion >= 2 ? READABLE_V42 : READABLE_V42.and(MINOR1_ONLY);
    }

    private SupportedAttributes() {
    }
}
