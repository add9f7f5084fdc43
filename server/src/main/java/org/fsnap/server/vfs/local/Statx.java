package org.fsnap.server.vfs.local;

import java.lang.foreign.MemorySegment;

import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Stat;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The fields of one {@code struct statx} this package uses, decoded into Java values.
 * Times are nanoseconds since the epoch; {@code btimeNanos} is 0 when the filesystem has none.
 */
record Statx(int mask, int mode, int nlink, int uid, int gid, long ino, long size, long blocks,
             long atimeNanos, long btimeNanos, long ctimeNanos, long mtimeNanos, int rdevMajor,
             int rdevMinor, int devMajor, int devMinor, long mountId) {

    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_ISVTX = 01000;
    static final int S_IXGRP = 00010;

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_BTIME = 0x800;
    static final int STATX_MNT_ID = 0x1000;
    /** Everything getattr needs, asked in one call. */
    static final int STATX_WANTED = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
    static final long SIZE = 256;

    static Statx decode(MemorySegment s) {
        int mask = s.get(JAVA_INT_UNALIGNED, 0);
        return new Statx(mask,
                Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, 28)),
                s.get(JAVA_INT_UNALIGNED, 16),
                s.get(JAVA_INT_UNALIGNED, 20),
                s.get(JAVA_INT_UNALIGNED, 24),
                s.get(JAVA_LONG_UNALIGNED, 32),
                s.get(JAVA_LONG_UNALIGNED, 40),
                s.get(JAVA_LONG_UNALIGNED, 48),
                time(s, 64),
                (mask & STATX_BTIME) != 0 ? time(s, 80) : 0L,
                time(s, 96),
                time(s, 112),
                s.get(JAVA_INT_UNALIGNED, 128),
                s.get(JAVA_INT_UNALIGNED, 132),
                s.get(JAVA_INT_UNALIGNED, 136),
                s.get(JAVA_INT_UNALIGNED, 140),
                (mask & STATX_MNT_ID) != 0 ? s.get(JAVA_LONG_UNALIGNED, 144) : -1L);
    }

    private static long time(MemorySegment s, long offset) {
        long sec = s.get(JAVA_LONG_UNALIGNED, offset);
        long nsec = Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, offset + 8));
        return sec * 1_000_000_000L + nsec;
    }

    int format() {
        return mode & S_IFMT;
    }

    /** Permission bits, including setuid, setgid and sticky. */
    int perm() {
        return mode & 07777;
    }

    boolean isDirectory() {
        return format() == S_IFDIR;
    }

    boolean isRegular() {
        return format() == S_IFREG;
    }

    boolean isSymlink() {
        return format() == S_IFLNK;
    }

    boolean sameObject(Statx other) {
        return ino == other.ino && devMajor == other.devMajor && devMinor == other.devMinor;
    }

    FileType type() {
        return typeOf(mode);
    }

    static FileType typeOf(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> FileType.REGULAR;
            case S_IFDIR -> FileType.DIRECTORY;
            case S_IFLNK -> FileType.SYMLINK;
            case S_IFCHR -> FileType.CHAR_DEVICE;
            case S_IFBLK -> FileType.BLOCK_DEVICE;
            case S_IFIFO -> FileType.FIFO;
            case S_IFSOCK -> FileType.SOCKET;
            default -> FileType.REGULAR;
        };
    }

    /**
     * The NFS view. The change attribute is ctime in nanoseconds: every data or metadata change
     * moves ctime, and since Linux 6.13 ext4/XFS/btrfs/tmpfs hand out fine-grained ctimes to
     * changes that follow a query, so two changes seen apart never share a value.
     */
    Stat toStat(long fsidMajor, long fsidMinor) {
        return new Stat(type(), ino, fsidMajor, fsidMinor, perm(), nlink, uid, gid, size,
                blocks * 512L, ctimeNanos, atimeNanos, mtimeNanos, ctimeNanos, btimeNanos,
                rdevMajor, rdevMinor);
    }
}
