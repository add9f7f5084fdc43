package org.fsnap.server.attr;

/**
 * Attribute numbers of NFSv4.1 (RFC 8881 section 5), NFSv4.2 (RFC 7862 section 12.2),
 * mode_umask (RFC 8275) and xattr_support (RFC 8276 section 8.2). The number is the bit
 * position in a bitmap4.
 */
public final class AttributeId {
    public static final int SUPPORTED_ATTRS = 0;
    public static final int TYPE = 1;
    public static final int FH_EXPIRE_TYPE = 2;
    public static final int CHANGE = 3;
    public static final int SIZE = 4;
    public static final int LINK_SUPPORT = 5;
    public static final int SYMLINK_SUPPORT = 6;
    public static final int NAMED_ATTR = 7;
    public static final int FSID = 8;
    public static final int UNIQUE_HANDLES = 9;
    public static final int LEASE_TIME = 10;
    public static final int RDATTR_ERROR = 11;
    public static final int ACL = 12;
    public static final int ACLSUPPORT = 13;
    public static final int ARCHIVE = 14;
    public static final int CANSETTIME = 15;
    public static final int CASE_INSENSITIVE = 16;
    public static final int CASE_PRESERVING = 17;
    public static final int CHOWN_RESTRICTED = 18;
    public static final int FILEHANDLE = 19;
    public static final int FILEID = 20;
    public static final int FILES_AVAIL = 21;
    public static final int FILES_FREE = 22;
    public static final int FILES_TOTAL = 23;
    public static final int FS_LOCATIONS = 24;
    public static final int HIDDEN = 25;
    public static final int HOMOGENEOUS = 26;
    public static final int MAXFILESIZE = 27;
    public static final int MAXLINK = 28;
    public static final int MAXNAME = 29;
    public static final int MAXREAD = 30;
    public static final int MAXWRITE = 31;
    public static final int MIMETYPE = 32;
    public static final int MODE = 33;
    public static final int NO_TRUNC = 34;
    public static final int NUMLINKS = 35;
    public static final int OWNER = 36;
    public static final int OWNER_GROUP = 37;
    public static final int QUOTA_AVAIL_HARD = 38;
    public static final int QUOTA_AVAIL_SOFT = 39;
    public static final int QUOTA_USED = 40;
    public static final int RAWDEV = 41;
    public static final int SPACE_AVAIL = 42;
    public static final int SPACE_FREE = 43;
    public static final int SPACE_TOTAL = 44;
    public static final int SPACE_USED = 45;
    public static final int SYSTEM = 46;
    public static final int TIME_ACCESS = 47;
    public static final int TIME_ACCESS_SET = 48;
    public static final int TIME_BACKUP = 49;
    public static final int TIME_CREATE = 50;
    public static final int TIME_DELTA = 51;
    public static final int TIME_METADATA = 52;
    public static final int TIME_MODIFY = 53;
    public static final int TIME_MODIFY_SET = 54;
    public static final int MOUNTED_ON_FILEID = 55;
    public static final int DIR_NOTIF_DELAY = 56;
    public static final int DIRENT_NOTIF_DELAY = 57;
    public static final int DACL = 58;
    public static final int SACL = 59;
    public static final int CHANGE_POLICY = 60;
    public static final int FS_STATUS = 61;
    public static final int FS_LAYOUT_TYPE = 62;
    public static final int LAYOUT_HINT = 63;
    public static final int LAYOUT_TYPE = 64;
    public static final int LAYOUT_BLKSIZE = 65;
    public static final int LAYOUT_ALIGNMENT = 66;
    public static final int FS_LOCATIONS_INFO = 67;
    public static final int MDSTHRESHOLD = 68;
    public static final int RETENTION_GET = 69;
    public static final int RETENTION_SET = 70;
    public static final int RETENTEVT_GET = 71;
    public static final int RETENTEVT_SET = 72;
    public static final int RETENTION_HOLD = 73;
    public static final int MODE_SET_MASKED = 74;
    public static final int SUPPATTR_EXCLCREAT = 75;
    public static final int FS_CHARSET_CAP = 76;
    /** RFC 7862 (NFSv4.2). */
    public static final int CLONE_BLKSIZE = 77;
    public static final int SPACE_FREED = 78;
    public static final int CHANGE_ATTR_TYPE = 79;
    public static final int SEC_LABEL = 80;
    /** RFC 8275. */
    public static final int MODE_UMASK = 81;
    /** RFC 8276. */
    public static final int XATTR_SUPPORT = 82;

    /** The highest attribute number defined by the RFCs this server knows. */
    public static final int MAX_DEFINED = XATTR_SUPPORT;
    /** The highest attribute number that exists in minor version 1. */
    public static final int MAX_MINOR1 = FS_CHARSET_CAP;

    private static final String[] NAMES = {
        "supported_attrs", "type", "fh_expire_type", "change", "size", "link_support",
        "symlink_support", "named_attr", "fsid", "unique_handles", "lease_time", "rdattr_error",
        "acl", "aclsupport", "archive", "cansettime", "case_insensitive", "case_preserving",
        "chown_restricted", "filehandle", "fileid", "files_avail", "files_free", "files_total",
        "fs_locations", "hidden", "homogeneous", "maxfilesize", "maxlink", "maxname", "maxread",
        "maxwrite", "mimetype", "mode", "no_trunc", "numlinks", "owner", "owner_group",
        "quota_avail_hard", "quota_avail_soft", "quota_used", "rawdev", "space_avail",
        "space_free", "space_total", "space_used", "system", "time_access", "time_access_set",
        "time_backup", "time_create", "time_delta", "time_metadata", "time_modify",
        "time_modify_set", "mounted_on_fileid", "dir_notif_delay", "dirent_notif_delay", "dacl",
        "sacl", "change_policy", "fs_status", "fs_layout_type", "layout_hint", "layout_type",
        "layout_blksize", "layout_alignment", "fs_locations_info", "mdsthreshold",
        "retention_get", "retention_set", "retentevt_get", "retentevt_set", "retention_hold",
        "mode_set_masked", "suppattr_exclcreat", "fs_charset_cap", "clone_blksize",
        "space_freed", "change_attr_type", "sec_label", "mode_umask", "xattr_support"
    };

    /**
     * Attributes a client may set (RFC 8881 section 5.6/5.7 "R/W" and the write-only
     * time_*_set, RFC 7862 sec_label, RFC 8275 mode_umask). Every other defined attribute is
     * read-only.
     */
    private static final Bitmap4 WRITABLE = Bitmap4.of(SIZE, ACL, ARCHIVE, HIDDEN, MIMETYPE,
            MODE, OWNER, OWNER_GROUP, SYSTEM, TIME_ACCESS_SET, TIME_BACKUP, TIME_CREATE,
            TIME_MODIFY_SET, DACL, SACL, LAYOUT_HINT, RETENTION_SET, RETENTEVT_SET,
            RETENTION_HOLD, MODE_SET_MASKED, SEC_LABEL, MODE_UMASK);

    /** Attributes that can only be set, never read (GETATTR/VERIFY of them is NFS4ERR_INVAL). */
    private static final Bitmap4 WRITE_ONLY = Bitmap4.of(TIME_ACCESS_SET, TIME_MODIFY_SET,
            MODE_UMASK);

    private AttributeId() {
    }

    /** The RFC name of an attribute, or "attr#N" for numbers beyond those defined. */
    public static String name(int attr) {
        return attr >= 0 && attr < NAMES.length ? NAMES[attr] : "attr#" + attr;
    }

    public static boolean isDefined(int attr) {
        return attr >= 0 && attr <= MAX_DEFINED;
    }

    /** Whether the protocol lets a client set this attribute (whether or not we support it). */
    public static boolean isWritable(int attr) {
        return WRITABLE.isSet(attr);
    }

    /** Defined and not settable. */
    public static boolean isReadOnly(int attr) {
        return isDefined(attr) && !WRITABLE.isSet(attr);
    }

    public static boolean isWriteOnly(int attr) {
        return WRITE_ONLY.isSet(attr);
    }

    public static Bitmap4 writeOnly() {
        return WRITE_ONLY;
    }
}
