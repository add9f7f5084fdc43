package org.fsnap.server.vfs;

/**
 * Attributes of one object, in the units NFS wants.
 *
 * @param fileId stable across restarts and unique within the export (st_ino for live files)
 * @param fsidMajor with fsidMinor: the filesystem the object belongs to
 * @param mode permission bits only (07777)
 * @param change moves on every data or metadata change (ctime in nanoseconds for live files)
 * @param spaceUsed bytes allocated
 * @param atimeNanos times in nanoseconds since the epoch
 */
public record Stat(FileType type, long fileId, long fsidMajor, long fsidMinor, int mode, int nlink,
                   int uid, int gid, long size, long spaceUsed, long change, long atimeNanos,
                   long mtimeNanos, long ctimeNanos, long createTimeNanos, int rdevMajor,
                   int rdevMinor) {
}
