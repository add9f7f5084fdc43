package org.fsnap.server.testclient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A received fattr4: the bitmap, the raw attr_vals, and the values of the attributes this
 * client knows how to read, in bit order. Decoding stops at the first attribute it does not
 * know ({@link #undecodedFrom()}), since the size of its value is unknown.
 */
public final class Fattr {
    /** nfstime4. */
    public record Time(long seconds, int nseconds) {
    }

    /** fsid4. */
    public record Fsid(long major, long minor) {
    }

    private final int[] mask;
    private final byte[] values;
    private final Map<Integer, Object> decoded = new LinkedHashMap<>();
    private int undecodedFrom = -1;

    public Fattr(int[] mask, byte[] values) {
        this.mask = mask.clone();
        this.values = values.clone();
        decodeValues();
    }

    public static Fattr decode(XdrReader r) {
        int[] mask = r.readBitmap();
        return new Fattr(mask, r.readOpaque());
    }

    private void decodeValues() {
        XdrReader r = new XdrReader(values);
        for (int a = 0; a < mask.length * 32; a++) {
            if (!Attr.isSet(mask, a)) {
                continue;
            }
            Object v = readValue(a, r);
            if (v == null) {
                undecodedFrom = a;
                return;
            }
            decoded.put(a, v);
        }
        if (r.hasRemaining()) {
            throw new XdrReader.XdrFormatException(r.remaining() + " bytes after the last value");
        }
    }

    private static Object readValue(int attr, XdrReader r) {
        return switch (attr) {
            case Attr.SUPPORTED_ATTRS, Attr.SUPPATTR_EXCLCREAT -> r.readBitmap();
            case Attr.TYPE, Attr.FH_EXPIRE_TYPE, Attr.LEASE_TIME, Attr.RDATTR_ERROR,
                 Attr.ACLSUPPORT, Attr.MAXLINK, Attr.MAXNAME, Attr.MODE, Attr.NUMLINKS,
                 Attr.CLONE_BLKSIZE, Attr.CHANGE_ATTR_TYPE -> r.readInt();
            case Attr.CHANGE, Attr.SIZE, Attr.FILEID, Attr.FILES_AVAIL, Attr.FILES_FREE,
                 Attr.FILES_TOTAL, Attr.MAXFILESIZE, Attr.MAXREAD, Attr.MAXWRITE,
                 Attr.QUOTA_AVAIL_HARD, Attr.QUOTA_AVAIL_SOFT, Attr.QUOTA_USED,
                 Attr.SPACE_AVAIL, Attr.SPACE_FREE, Attr.SPACE_TOTAL, Attr.SPACE_USED,
                 Attr.MOUNTED_ON_FILEID -> r.readLong();
            case Attr.LINK_SUPPORT, Attr.SYMLINK_SUPPORT, Attr.NAMED_ATTR, Attr.UNIQUE_HANDLES,
                 Attr.ARCHIVE, Attr.CANSETTIME, Attr.CASE_INSENSITIVE, Attr.CASE_PRESERVING,
                 Attr.CHOWN_RESTRICTED, Attr.HIDDEN, Attr.HOMOGENEOUS, Attr.NO_TRUNC,
                 Attr.SYSTEM, Attr.XATTR_SUPPORT -> r.readBoolean();
            case Attr.FSID -> new Fsid(r.readLong(), r.readLong());
            case Attr.FILEHANDLE -> r.readOpaque();
            case Attr.OWNER, Attr.OWNER_GROUP, Attr.MIMETYPE -> r.readString();
            case Attr.RAWDEV -> new int[] {r.readInt(), r.readInt()};
            case Attr.TIME_ACCESS, Attr.TIME_BACKUP, Attr.TIME_CREATE, Attr.TIME_DELTA,
                 Attr.TIME_METADATA, Attr.TIME_MODIFY -> new Time(r.readLong(), r.readInt());
            default -> null;
        };
    }

    public int[] mask() {
        return mask.clone();
    }

    public byte[] values() {
        return values.clone();
    }

    public boolean has(int attr) {
        return Attr.isSet(mask, attr);
    }

    /** The first attribute in the bitmap whose value could not be read, or -1. */
    public int undecodedFrom() {
        return undecodedFrom;
    }

    public Map<Integer, Object> decoded() {
        return Map.copyOf(decoded);
    }

    private Object get(int attr) {
        Object v = decoded.get(attr);
        if (v == null) {
            throw new IllegalStateException("attribute " + attr + " not in reply (mask "
                    + java.util.Arrays.toString(mask) + ")");
        }
        return v;
    }

    public int type() {
        return (Integer) get(Attr.TYPE);
    }

    public long change() {
        return (Long) get(Attr.CHANGE);
    }

    public long size() {
        return (Long) get(Attr.SIZE);
    }

    public long fileId() {
        return (Long) get(Attr.FILEID);
    }

    public int mode() {
        return (Integer) get(Attr.MODE);
    }

    public int numlinks() {
        return (Integer) get(Attr.NUMLINKS);
    }

    public String owner() {
        return (String) get(Attr.OWNER);
    }

    public String ownerGroup() {
        return (String) get(Attr.OWNER_GROUP);
    }

    public Fsid fsid() {
        return (Fsid) get(Attr.FSID);
    }

    public int[] supportedAttrs() {
        return (int[]) get(Attr.SUPPORTED_ATTRS);
    }

    public Time timeModify() {
        return (Time) get(Attr.TIME_MODIFY);
    }

    public byte[] filehandle() {
        return (byte[]) get(Attr.FILEHANDLE);
    }

    public int rdattrError() {
        return (Integer) get(Attr.RDATTR_ERROR);
    }

    @Override
    public String toString() {
        return "fattr" + decoded + (undecodedFrom >= 0 ? " (undecoded from " + undecodedFrom + ")"
                : "");
    }
}
