package org.fsnap.server.attr;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.nfs.StrictUtf8;
import org.fsnap.server.vfs.SetAttributes;

/**
 * Turns a client's fattr4 (SETATTR new_attributes, CREATE createattrs, OPEN createattrs /
 * cva_attrs) into {@link SetAttributes}.
 *
 * <p>Checks, in this order: a read-only attribute in the bitmap → NFS4ERR_INVAL; an attribute
 * this server cannot set (or an undefined one) → NFS4ERR_ATTRNOTSUPP; values that do not
 * match the bitmap, including bytes left over → NFS4ERR_BADXDR; a mode outside 07777 or a
 * time with nseconds ≥ 10^9 → NFS4ERR_INVAL; an owner or group that maps to no id →
 * NFS4ERR_BADOWNER. Nothing is applied here, so on any error nothing has been set.
 */
public final class Fattr4Decoder {
    /** SET_TO_SERVER_TIME4 / SET_TO_CLIENT_TIME4 of time_how4. */
    public static final int SET_TO_SERVER_TIME4 = 0;
    public static final int SET_TO_CLIENT_TIME4 = 1;
    /** Owner strings longer than this are refused (names are at most a few hundred bytes). */
    static final int MAX_OWNER_BYTES = 1024;

    private Fattr4Decoder() {
    }

    /**
     * Decodes the settable attributes of {@code f}.
     *
     * @throws NfsException NFS4ERR_INVAL, NFS4ERR_ATTRNOTSUPP, NFS4ERR_BADXDR or
     *     NFS4ERR_BADOWNER as described on the class
     */
    public static DecodedAttributes toSetAttributes(Fattr4 f, OwnerMapper owners)
            throws NfsException {
        Bitmap4 mask = f.mask();
        if (mask.isEmpty()) {
            if (f.valuesLength() != 0) {
                throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "values without attributes");
            }
            return DecodedAttributes.NONE;
        }
        for (int a = mask.nextSetBit(0); a >= 0; a = mask.nextSetBit(a + 1)) {
            if (AttributeId.isReadOnly(a)) {
                throw new NfsException(Nfs4Status.NFS4ERR_INVAL,
                        "read-only attribute " + AttributeId.name(a));
            }
        }
        for (int a = mask.nextSetBit(0); a >= 0; a = mask.nextSetBit(a + 1)) {
            if (!SupportedAttributes.SETTABLE.isSet(a)) {
                throw new NfsException(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                        "cannot set " + AttributeId.name(a));
            }
        }
        AttrValueReader r = new AttrValueReader(f.valuesNoCopy());
        Integer mode = null;
        Integer uid = null;
        Integer gid = null;
        Long size = null;
        Long atime = null;
        Long mtime = null;
        // Values in ascending bit order; parse all before judging owners so that a
        // malformed tail is BADXDR rather than whatever an earlier value would say.
        String owner = null;
        String group = null;
        for (int a = mask.nextSetBit(0); a >= 0; a = mask.nextSetBit(a + 1)) {
            switch (a) {
                case AttributeId.SIZE -> size = r.readLong();
                case AttributeId.MODE -> mode = r.readInt();
                case AttributeId.OWNER -> owner = readUtf8(r);
                case AttributeId.OWNER_GROUP -> group = readUtf8(r);
                case AttributeId.TIME_ACCESS_SET -> atime = readSetTime(r);
                case AttributeId.TIME_MODIFY_SET -> mtime = readSetTime(r);
                default -> throw new IllegalStateException("unhandled settable attribute " + a);
            }
        }
        if (!r.atEnd()) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR,
                    r.remaining() + " bytes after the last attribute value");
        }
        if (size != null && size < 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_FBIG, "size beyond 2^63-1");
        }
        if (mode != null && (mode & ~07777) != 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL,
                    "mode " + Integer.toOctalString(mode) + " has bits outside 07777");
        }
        if (atime != null && atime == BAD_TIME || mtime != null && mtime == BAD_TIME) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "time out of range");
        }
        if (owner != null) {
            uid = owners.uidOf(owner);
        }
        if (group != null) {
            gid = owners.gidOf(group);
        }
        return new DecodedAttributes(new SetAttributes(mode, uid, gid, size, atime, mtime), mask);
    }

    /** Marks a client time that cannot be represented; never a real nanosecond value. */
    private static final long BAD_TIME = Long.MIN_VALUE + 1;

    private static String readUtf8(AttrValueReader r) throws NfsException {
        byte[] raw = r.readOpaque(MAX_OWNER_BYTES);
        return StrictUtf8.decode(raw, Nfs4Status.NFS4ERR_BADOWNER, "owner is not UTF-8");
    }

    /** settime4: SET_TO_SERVER_TIME4, or SET_TO_CLIENT_TIME4 with an nfstime4. */
    private static long readSetTime(AttrValueReader r) throws NfsException {
        int how = r.readInt();
        return switch (how) {
            case SET_TO_SERVER_TIME4 -> SetAttributes.SET_TO_SERVER_TIME;
            case SET_TO_CLIENT_TIME4 -> {
                long seconds = r.readLong();
                long nanos = r.readInt() & 0xffffffffL;
                yield toNanos(seconds, nanos);
            }
            default -> throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "bad time_how4 " + how);
        };
    }

    /** nfstime4 → nanoseconds since the epoch, or {@link #BAD_TIME} when out of range. */
    static long toNanos(long seconds, long nanos) {
        if (nanos >= 1_000_000_000L) {
            return BAD_TIME;
        }
        try {
            long v = Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
            return v <= BAD_TIME ? BAD_TIME : v;
        } catch (ArithmeticException e) {
            return BAD_TIME;
        }
    }
}
