package org.fsnap.server.testclient;

/** fattr4 attribute numbers (RFC 8881 section 5, RFC 7862, RFC 8276). */
public final class Attr {
    private Attr() {
    }

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
    public static final int SUPPATTR_EXCLCREAT = 75;
    public static final int CLONE_BLKSIZE = 77;
    public static final int CHANGE_ATTR_TYPE = 79;
    public static final int MODE_UMASK = 81;
    public static final int XATTR_SUPPORT = 82;

    /** A bitmap4's words with the given attribute bits set. */
    public static int[] bitmap(int... attrs) {
        int max = -1;
        for (int a : attrs) {
            max = Math.max(max, a);
        }
        int[] words = new int[max / 32 + 1];
        if (max < 0) {
            return new int[0];
        }
        for (int a : attrs) {
            words[a / 32] |= 1 << (a % 32);
        }
        return words;
    }

    public static boolean isSet(int[] bitmap, int attr) {
        return attr / 32 < bitmap.length && (bitmap[attr / 32] & (1 << (attr % 32))) != 0;
    }
}
