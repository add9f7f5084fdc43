package org.fsnap.server.ops;

import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrOutput;

/**
 * change_info4 (RFC 8881 section 3.3.6): a directory's change attribute before and after an
 * operation. Not atomic: other changes may fall between the two readings.
 */
public record ChangeInfo(boolean atomic, long before, long after) {

    public void encode(XdrOutput out) {
        out.writeBoolean(atomic).writeLong(before).writeLong(after);
    }

    /** Reads a directory's change attribute, for the "before" or "after" side. */
    public static long changeOf(VirtualFileSystem vfs, Inode dir) throws VfsException {
        return vfs.getattr(dir).change();
    }

    public static ChangeInfo of(long before, long after) {
        return new ChangeInfo(false, before, after);
    }
}
