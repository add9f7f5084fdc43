package org.fsnap.server.attr;

import static org.fsnap.server.attr.AttributeId.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsException;

/**
 * Compares a client's fattr4 with an object's current attributes, for VERIFY and NVERIFY
 * (RFC 8881 sections 18.31, 18.15).
 *
 * <p>rdattr_error or a write-only attribute in the bitmap → NFS4ERR_INVAL; an attribute this
 * server does not support → NFS4ERR_ATTRNOTSUPP; values that do not match the bitmap →
 * NFS4ERR_BADXDR. Values are compared attribute by attribute: bitmaps as sets, opaques by
 * content, owner and owner_group by the id they name (so "1000" and "alice@domain" are the
 * same owner when alice is uid 1000), everything else by its XDR bytes.
 */
public final class Fattr4Comparator {
    private static final int MAX_FS_LAYOUT_TYPES = 64;

    private Fattr4Comparator() {
    }

    /** Whether every attribute in {@code given} equals the object's current value. */
    public static boolean matches(Fattr4 given, Fattr4Encoder encoder, OwnerMapper owners,
                                  Inode inode, Stat stat) throws NfsException, VfsException {
        Bitmap4 mask = given.mask();
        if (mask.isSet(RDATTR_ERROR)) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "rdattr_error cannot be verified");
        }
        if (mask.intersects(AttributeId.writeOnly())) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "write-only attribute");
        }
        if (!encoder.supported().containsAll(mask)) {
            throw new NfsException(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                    "not supported: " + mask.andNot(encoder.supported()));
        }
        // Check the client's values are well formed before anything else.
        AttrValueReader theirs = new AttrValueReader(given.valuesNoCopy());
        for (int a = mask.nextSetBit(0); a >= 0; a = mask.nextSetBit(a + 1)) {
            skipValue(theirs, a);
        }
        if (!theirs.atEnd()) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR,
                    theirs.remaining() + " bytes after the last attribute value");
        }
        Fattr4 mine = encoder.encode(mask, inode, stat);
        if (!mine.mask().equals(mask)) {
            return false; // an attribute we cannot give for this object (time_create)
        }
        byte[] ours = mine.valuesNoCopy();
        AttrValueReader a1 = new AttrValueReader(given.valuesNoCopy());
        AttrValueReader a2 = new AttrValueReader(ours);
        for (int a = mask.nextSetBit(0); a >= 0; a = mask.nextSetBit(a + 1)) {
            if (!sameValue(a, a1, a2, owners, stat)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(int attr, AttrValueReader theirs, AttrValueReader ours,
                                     OwnerMapper owners, Stat stat) throws NfsException {
        switch (attr) {
            case SUPPORTED_ATTRS, SUPPATTR_EXCLCREAT -> {
                return readBitmap(theirs).equals(readBitmap(ours));
            }
            case FILEHANDLE -> {
                return Arrays.equals(theirs.readOpaque(Inode.MAX_HANDLE_SIZE),
                        ours.readOpaque(Inode.MAX_HANDLE_SIZE));
            }
            case OWNER, OWNER_GROUP -> {
                String s = new String(theirs.readOpaque(Fattr4Decoder.MAX_OWNER_BYTES),
                        StandardCharsets.UTF_8);
                ours.readOpaque(Fattr4Decoder.MAX_OWNER_BYTES);
                try {
                    return attr == OWNER ? owners.uidOf(s) == stat.uid()
                            : owners.gidOf(s) == stat.gid();
                } catch (NfsException e) {
                    return false; // names nobody: cannot be the current owner
                }
            }
            default -> {
                int p1 = theirs.position();
                int p2 = ours.position();
                skipValue(theirs, attr);
                skipValue(ours, attr);
                int n = theirs.position() - p1;
                return n == ours.position() - p2
                        && Arrays.equals(theirs.bytes(), p1, p1 + n, ours.bytes(), p2, p2 + n);
            }
        }
    }

    private static Bitmap4 readBitmap(AttrValueReader r) throws NfsException {
        int n = r.readInt();
        if (n < 0 || n > org.fsnap.server.xdr.XdrInput.MAX_BITMAP_WORDS) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "bitmap of " + n + " words");
        }
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.readInt();
        }
        return Bitmap4.ofWords(w);
    }

    /** Skips one value of a supported attribute; NFS4ERR_BADXDR when it does not fit. */
    static void skipValue(AttrValueReader r, int attr) throws NfsException {
        switch (attr) {
            case SUPPORTED_ATTRS, SUPPATTR_EXCLCREAT -> readBitmap(r);
            case FILEHANDLE -> r.readOpaque(Inode.MAX_HANDLE_SIZE);
            case OWNER, OWNER_GROUP -> r.readOpaque(Fattr4Decoder.MAX_OWNER_BYTES);
            case FS_LAYOUT_TYPE -> {
                int n = r.readInt();
                if (n < 0 || n > MAX_FS_LAYOUT_TYPES) {
                    throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "layout types " + n);
                }
                r.skip(4 * n);
            }
            case TYPE, FH_EXPIRE_TYPE, LINK_SUPPORT, SYMLINK_SUPPORT, NAMED_ATTR, UNIQUE_HANDLES,
                 LEASE_TIME, RDATTR_ERROR, ACLSUPPORT, CANSETTIME, CASE_INSENSITIVE,
                 CASE_PRESERVING, CHOWN_RESTRICTED, HOMOGENEOUS, MAXLINK, MAXNAME, MODE, NO_TRUNC,
                 NUMLINKS, XATTR_SUPPORT -> r.skip(4);
            case CHANGE, SIZE, FILEID, FILES_AVAIL, FILES_FREE, FILES_TOTAL, MAXFILESIZE, MAXREAD,
                 MAXWRITE, RAWDEV, SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL, SPACE_USED,
                 MOUNTED_ON_FILEID -> r.skip(8);
            case TIME_ACCESS, TIME_CREATE, TIME_DELTA, TIME_METADATA, TIME_MODIFY -> r.skip(12);
            case FSID -> r.skip(16);
            default -> throw new NfsException(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                    "no value layout for " + AttributeId.name(attr));
        }
    }
}
