package org.fsnap.snapshot.nativeio;

import java.time.Instant;

/**
 * What {@code statx} told us about an open file.
 *
 * @param device st_dev in glibc's dev_t encoding (same number as Java's {@code unix:dev})
 * @param inode  st_ino
 * @param allocatedBytes st_blocks × 512: space the file occupies (less than size when sparse)
 */
public record FileStat(long device, long inode, int mode, long links, long size, long allocatedBytes,
                       Instant modified) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** glibc's gnu_dev_makedev, so the number matches what the JDK and stat(1) report. */
    static long makeDevice(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0x00000fffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0x000000ffL);
    }
}
