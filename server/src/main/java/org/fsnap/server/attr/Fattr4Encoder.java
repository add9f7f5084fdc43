package org.fsnap.server.attr;

import static org.fsnap.server.attr.AttributeId.*;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * Encodes the attributes of one object as fattr4 (GETATTR, READDIR, VERIFY).
 *
 * <p>Only attributes that are both requested and readable are encoded, in ascending bit
 * order, and the bitmap sent back names exactly those: unsupported requests are silently
 * left out, as GETATTR requires (RFC 8881 section 18.7.3); the write-only time_access_set and
 * time_modify_set are in {@link #supported()} but never encoded. time_create is also left out for
 * an object whose creation time the filesystem does not know ({@link Stat#createTimeNanos()}
 * of 0).
 *
 * <p>An encoder is cheap and holds per-request caches: the filesystem statistics (fetched
 * only when a space or files attribute is asked for, once per fsid). Create one per
 * operation; it is not thread-safe.
 */
public final class Fattr4Encoder {
    /** FH4_PERSISTENT: handles never expire. */
    public static final int FH4_PERSISTENT = 0;
    public static final long MAX_READ = 1024 * 1024;
    public static final long MAX_WRITE = 1024 * 1024;
    public static final int MAX_NAME = 255;
    public static final int MAX_LINK = 65000;
    public static final long MAX_FILE_SIZE = Long.MAX_VALUE;

    private static final Bitmap4 NEEDS_FSSTAT = Bitmap4.of(FILES_AVAIL, FILES_FREE, FILES_TOTAL,
            SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL);

    private final VirtualFileSystem vfs;
    private final OwnerMapper owners;
    private final int leaseSeconds;
    private final Bitmap4 readable;
    private final Bitmap4 supported;
    private final Bitmap4 exclcreat;

    private FsStat fsStat;
    private long fsStatMajor;
    private long fsStatMinor;

    public Fattr4Encoder(VirtualFileSystem vfs, OwnerMapper owners, int leaseSeconds,
                         int minorVersion) {
        this.vfs = vfs;
        this.owners = owners;
        this.leaseSeconds = leaseSeconds;
        this.readable = SupportedAttributes.readable(minorVersion);
        this.supported = SupportedAttributes.supported(minorVersion);
        this.exclcreat = SupportedAttributes.EXCLCREAT;
    }

    /** An encoder for the server, caller minor version and lease of this COMPOUND. */
    public static Fattr4Encoder of(CompoundContext ctx) {
        return new Fattr4Encoder(ctx.vfs(), ctx.server().owners(), ctx.server().leaseSeconds(),
                ctx.minorVersion());
    }

    /** The supported_attrs value: readable and settable (write-only ones included). */
    public Bitmap4 supported() {
        return supported;
    }

    /**
     * What will be encoded for a request: the requested attributes this server supports,
     * precomputed so that READDIR does the work once for all entries.
     */
    public Plan plan(Bitmap4 requested) {
        return new Plan(requested.and(readable));
    }

    /** A precomputed request: see {@link #plan}. */
    public static final class Plan {
        private final Bitmap4 mask;
        private final int[] attrs;
        private final int wordCount;
        private final boolean needsFsStat;

        private Plan(Bitmap4 mask) {
            this.mask = mask;
            this.attrs = mask.toArray();
            this.wordCount = mask.wordCount();
            this.needsFsStat = mask.intersects(NEEDS_FSSTAT);
        }

        /** The attributes that will be encoded (at most; time_create may drop out). */
        public Bitmap4 mask() {
            return mask;
        }

        public boolean includes(int attr) {
            return mask.isSet(attr);
        }

        /** A rough size of one encoded fattr4, for sizing buffers. */
        public int estimatedSize() {
            int n = 8 + 4 * wordCount;
            for (int a : attrs) {
                n += switch (a) {
                    case FILEHANDLE -> 4 + 64;
                    case OWNER, OWNER_GROUP -> 12;
                    case SUPPORTED_ATTRS, SUPPATTR_EXCLCREAT -> 16;
                    case TIME_ACCESS, TIME_CREATE, TIME_DELTA, TIME_METADATA, TIME_MODIFY -> 12;
                    case FSID -> 16;
                    default -> 8;
                };
            }
            return n;
        }
    }

    /** Encodes the requested attributes of one object as a standalone fattr4. */
    public Fattr4 encode(Bitmap4 requested, Inode inode, Stat stat) throws VfsException {
        Plan plan = plan(requested);
        XdrBuffer out = new XdrBuffer(plan.estimatedSize());
        int[] mask = encodeValues(out, plan, inode, stat);
        return Fattr4.wrap(Bitmap4.ofWords(mask), out.toByteArray());
    }

    /**
     * Appends one fattr4 (bitmap4 and attr_vals) to {@code out}. On a VfsException (the
     * filesystem statistics could not be read) {@code out} is left as it was.
     */
    public void encode(XdrBuffer out, Plan plan, Inode inode, Stat stat) throws VfsException {
        int start = out.position();
        int words = plan.wordCount;
        out.putInt(words);
        int maskPos = out.position();
        for (int i = 0; i < words; i++) {
            out.putInt(0);
        }
        int lenPos = out.position();
        out.putInt(0);
        int valuesStart = out.position();
        int[] result;
        try {
            result = encodeValues(out, plan, inode, stat);
        } catch (VfsException | RuntimeException e) {
            out.truncate(start);
            throw e;
        }
        for (int i = 0; i < words; i++) {
            out.setInt(maskPos + 4 * i, result[i]);
        }
        out.setInt(lenPos, out.position() - valuesStart);
    }

    /** Appends the attr_vals of a plan; returns the bitmap words of what was encoded. */
    private int[] encodeValues(XdrBuffer out, Plan plan, Inode inode, Stat stat)
            throws VfsException {
        int[] result = new int[plan.wordCount];
        FsStat fs = plan.needsFsStat ? fsStat(inode, stat) : null;
        for (int a : plan.attrs) {
            if (encodeOne(out, a, inode, stat, fs)) {
                result[a >>> 5] |= 1 << (a & 31);
            }
        }
        return result;
    }

    /**
     * Appends the fattr4 READDIR sends for an entry whose attributes could not be read
     * (RFC 8881 section 18.23.4): only rdattr_error, holding the error.
     */
    public static void encodeRdattrError(XdrBuffer out, int status) {
        out.putInt(1).putInt(1 << RDATTR_ERROR).putInt(4).putInt(status);
    }

    private FsStat fsStat(Inode inode, Stat stat) throws VfsException {
        if (fsStat == null || fsStatMajor != stat.fsidMajor() || fsStatMinor != stat.fsidMinor()) {
            fsStat = vfs.fsStat(inode);
            fsStatMajor = stat.fsidMajor();
            fsStatMinor = stat.fsidMinor();
        }
        return fsStat;
    }

    /** Writes one attribute value; false when it is left out for this object. */
    private boolean encodeOne(XdrBuffer out, int attr, Inode inode, Stat stat, FsStat fs)
            throws VfsException {
        switch (attr) {
            case SUPPORTED_ATTRS -> supported.encode(out);
            case TYPE -> out.putInt(stat.type().nfsType());
            case FH_EXPIRE_TYPE -> out.putInt(FH4_PERSISTENT);
            case CHANGE -> out.putLong(stat.change());
            case SIZE -> out.putLong(stat.size());
            case LINK_SUPPORT, SYMLINK_SUPPORT, UNIQUE_HANDLES, CANSETTIME, CASE_PRESERVING,
                 CHOWN_RESTRICTED, HOMOGENEOUS, NO_TRUNC -> out.putBoolean(true);
            case NAMED_ATTR, CASE_INSENSITIVE -> out.putBoolean(false);
            case FSID -> out.putLong(stat.fsidMajor()).putLong(stat.fsidMinor());
            case LEASE_TIME -> out.putInt(leaseSeconds);
            case RDATTR_ERROR -> out.putInt(Nfs4Status.NFS4_OK);
            case ACLSUPPORT -> out.putInt(0);
            case FILEHANDLE -> out.putOpaque(inode.handle());
            case FILEID, MOUNTED_ON_FILEID -> out.putLong(stat.fileId());
            case FILES_AVAIL -> out.putLong(fs.availableFiles());
            case FILES_FREE -> out.putLong(fs.freeFiles());
            case FILES_TOTAL -> out.putLong(fs.totalFiles());
            case MAXFILESIZE -> out.putLong(MAX_FILE_SIZE);
            case MAXLINK -> out.putInt(MAX_LINK);
            case MAXNAME -> out.putInt(MAX_NAME);
            case MAXREAD -> out.putLong(MAX_READ);
            case MAXWRITE -> out.putLong(MAX_WRITE);
            case MODE -> out.putInt(stat.mode() & 07777);
            case NUMLINKS -> out.putInt(stat.nlink());
            case OWNER -> out.putUtf8(owners.ownerOf(stat.uid()));
            case OWNER_GROUP -> out.putUtf8(owners.groupOf(stat.gid()));
            case RAWDEV -> out.putInt(stat.rdevMajor()).putInt(stat.rdevMinor());
            case SPACE_AVAIL -> out.putLong(fs.availableBytes());
            case SPACE_FREE -> out.putLong(fs.freeBytes());
            case SPACE_TOTAL -> out.putLong(fs.totalBytes());
            case SPACE_USED -> out.putLong(stat.spaceUsed());
            case TIME_ACCESS -> putTime(out, stat.atimeNanos());
            case TIME_CREATE -> {
                if (stat.createTimeNanos() == 0) {
                    return false;
                }
                putTime(out, stat.createTimeNanos());
            }
            case TIME_DELTA -> out.putLong(0).putInt(1);
            case TIME_METADATA -> putTime(out, stat.ctimeNanos());
            case TIME_MODIFY -> putTime(out, stat.mtimeNanos());
            case FS_LAYOUT_TYPE -> out.putInt(0);
            case SUPPATTR_EXCLCREAT -> exclcreat.encode(out);
            case XATTR_SUPPORT -> out.putBoolean(vfs.xattrSupported(inode));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** nfstime4: seconds (int64) and nseconds (uint32, below 10^9). */
    static void putTime(XdrBuffer out, long nanos) {
        out.putLong(Math.floorDiv(nanos, 1_000_000_000L))
                .putInt((int) Math.floorMod(nanos, 1_000_000_000L));
    }
}
