package org.fsnap.server.vfs.snapshot;

import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Stat;

/**
 * Unix permission checks for objects that exist only in a decorator (owner, group and mode
 * taken from a {@link Stat} the decorator made up from a live object).
 */
public final class VirtualPermissions {
    public static final int R = 4;
    public static final int W = 2;
    public static final int X = 1;

    private VirtualPermissions() {
    }

    /** The rwx bits (4/2/1) the caller holds on an object with these attributes. */
    public static int bits(Caller caller, Stat st) {
        int mode = st.mode();
        if (caller.isRoot()) {
            // root reads and writes anything; executes only what someone may execute
            boolean anyX = (mode & 0111) != 0 || st.type() == org.fsnap.server.vfs.FileType.DIRECTORY
                    || st.type() == org.fsnap.server.vfs.FileType.NAMED_ATTR_DIR;
            return R | W | (anyX ? X : 0);
        }
        if (caller.uid() == st.uid()) {
            return (mode >> 6) & 7;
        }
        if (caller.inGroup(st.gid())) {
            return (mode >> 3) & 7;
        }
        return mode & 7;
    }

    public static boolean mayRead(Caller caller, Stat st) {
        return (bits(caller, st) & R) != 0;
    }

    /**
     * ACCESS bits for a read-only object: read and lookup/execute as the mode says; the
     * modifying bits are granted to whoever may read, because every modification is then
     * refused with NFS4ERR_ROFS. (A client that is told "no" by ACCESS reports EACCES without
     * asking; one that is told "yes" sends the operation and reports the server's EROFS, which
     * is what "read-only" means to a user.)
     */
    public static int readOnlyAccess(Caller caller, Stat st, int requested, boolean directory) {
        int b = bits(caller, st);
        int granted = 0;
        if ((b & R) != 0) {
            granted |= Access.READ;
        }
        if ((b & X) != 0) {
            granted |= directory ? Access.LOOKUP : Access.EXECUTE;
        }
        if ((b & R) != 0) {
            granted |= Access.MODIFY | Access.EXTEND | (directory ? Access.DELETE : 0)
                    | Access.XAREAD | Access.XALIST | Access.XAWRITE;
        }
        return granted & requested;
    }
}
