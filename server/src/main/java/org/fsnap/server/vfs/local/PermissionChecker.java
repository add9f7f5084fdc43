package org.fsnap.server.vfs.local;

import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;

/**
 * POSIX mode-bit permission rules applied on the caller's behalf (the server itself is root),
 * following what Linux and knfsd do. POSIX ACLs are not consulted.
 */
final class PermissionChecker {
    static final int R = 4;
    static final int W = 2;
    static final int X = 1;

    private PermissionChecker() {
    }

    static boolean isOwner(Caller c, Statx st) {
        return c.uid() == st.uid();
    }

    /**
     * Whether the caller holds all of {@code want} (R/W/X bits). As in Linux only one class
     * applies: the owner's bits for the owner even when group or other grant more. Root passes
     * everything except execute of a non-directory without any x bit.
     */
    static boolean allows(Caller c, Statx st, int want) {
        if (c.isRoot()) {
            return (want & X) == 0 || st.isDirectory() || (st.perm() & 0111) != 0;
        }
        int bits;
        if (c.uid() == st.uid()) {
            bits = st.perm() >> 6;
        } else if (c.inGroup(st.gid())) {
            bits = st.perm() >> 3;
        } else {
            bits = st.perm();
        }
        return (bits & want & 7) == want;
    }

    static void require(Caller c, Statx st, int want, String what) throws VfsException {
        if (!allows(c, st, want)) {
            throw new VfsException(VfsError.ACCESS, what);
        }
    }

    /** The ACCESS operation: the subset of {@code requested} the caller holds. */
    static int access(Caller c, Statx st, int requested, boolean xattrs) {
        boolean r = allows(c, st, R);
        boolean w = allows(c, st, W);
        boolean x = allows(c, st, X);
        int granted = 0;
        if (st.isDirectory()) {
            granted |= r ? Access.READ : 0;
            granted |= x ? Access.LOOKUP : 0;
            // changing entries needs write and search on the directory, as in knfsd
            granted |= w && x ? Access.MODIFY | Access.EXTEND | Access.DELETE : 0;
        } else {
            granted |= r ? Access.READ : 0;
            granted |= w ? Access.MODIFY | Access.EXTEND : 0;
            granted |= x ? Access.EXECUTE : 0;
        }
        if (xattrs) {
            granted |= r ? Access.XAREAD | Access.XALIST : 0;
            granted |= w && xattrWriteAllowedOnSticky(c, st) ? Access.XAWRITE : 0;
        }
        return granted & requested;
    }

    /** Linux: user xattrs of a sticky directory may be changed only by its owner (or root). */
    static boolean xattrWriteAllowedOnSticky(Caller c, Statx st) {
        return !(st.isDirectory() && (st.perm() & Statx.S_ISVTX) != 0)
                || c.isRoot() || isOwner(c, st);
    }

    /**
     * READ of file data. The owner always may (knfsd's owner override: a client may read a
     * file it opened for writing whatever the mode says now); others need r or x, since
     * clients read files to execute them.
     */
    static boolean mayReadData(Caller c, Statx st) {
        return c.isRoot() || isOwner(c, st) || allows(c, st, R) || allows(c, st, X);
    }

    /** WRITE of file data: the owner always may (owner override), others need w. */
    static boolean mayWriteData(Caller c, Statx st) {
        return c.isRoot() || isOwner(c, st) || allows(c, st, W);
    }

    /** Adding, removing or renaming entries needs write and search on the directory. */
    static void requireDirWrite(Caller c, Statx dir) throws VfsException {
        require(c, dir, W | X, "no write and search permission on the directory");
    }

    /**
     * A sticky directory lets only the entry's owner, the directory's owner or root remove or
     * replace the entry (Linux answers EPERM).
     */
    static void checkSticky(Caller c, Statx dir, Statx victim) throws VfsException {
        if ((dir.perm() & Statx.S_ISVTX) != 0 && !c.isRoot() && c.uid() != victim.uid()
                && c.uid() != dir.uid()) {
            throw new VfsException(VfsError.PERM, "sticky directory: not the owner");
        }
    }

    /**
     * Linux's protected_hardlinks: a non-owner may link only a regular file it could read and
     * write that is not setuid, nor setgid-executable.
     */
    static void checkHardLink(Caller c, Statx target) throws VfsException {
        if (c.isRoot() || isOwner(c, target)) {
            return;
        }
        int p = target.perm();
        boolean privileged = (p & Statx.S_ISUID) != 0
                || (p & (Statx.S_ISGID | Statx.S_IXGRP)) == (Statx.S_ISGID | Statx.S_IXGRP);
        if (!target.isRegular() || privileged || !allows(c, target, R | W)) {
            throw new VfsException(VfsError.PERM, "hard link to a file the caller does not own");
        }
    }

    /**
     * SETATTR rules: owner or root for mode and explicit times; root for a new owner; owner or
     * root and membership of the new group for chgrp; write (or ownership) for truncate and for
     * times set to "now".
     */
    static void checkSetattr(Caller c, Statx st, SetAttributes ch) throws VfsException {
        boolean root = c.isRoot();
        boolean owner = isOwner(c, st);
        if (ch.size() != null && !root && !owner && !allows(c, st, W)) {
            throw new VfsException(VfsError.ACCESS, "truncate without write permission");
        }
        if (ch.uid() != null && ch.uid() != st.uid() && !root) {
            throw new VfsException(VfsError.PERM, "only root may give a file away");
        }
        if (ch.gid() != null && ch.gid() != st.gid() && !root && !(owner && c.inGroup(ch.gid()))) {
            throw new VfsException(VfsError.PERM, "chgrp to a group the caller is not in");
        }
        if (ch.mode() != null && !root && !owner) {
            throw new VfsException(VfsError.PERM, "chmod by a non-owner");
        }
        boolean explicitTime = isExplicit(ch.atimeNanos()) || isExplicit(ch.mtimeNanos());
        boolean nowTime = isNow(ch.atimeNanos()) || isNow(ch.mtimeNanos());
        if (explicitTime && !root && !owner) {
            throw new VfsException(VfsError.PERM, "setting times by a non-owner");
        }
        if (nowTime && !root && !owner && !allows(c, st, W)) {
            throw new VfsException(VfsError.ACCESS, "touch without write permission");
        }
    }

    private static boolean isExplicit(Long t) {
        return t != null && t != SetAttributes.SET_TO_SERVER_TIME;
    }

    private static boolean isNow(Long t) {
        return t != null && t == SetAttributes.SET_TO_SERVER_TIME;
    }

    /** The mode chmod really applies: setgid drops when the caller is not in the file's group. */
    static int chmodMode(Caller c, int requested, int fileGid) {
        int mode = requested & 07777;
        if (!c.isRoot() && !c.inGroup(fileGid)) {
            mode &= ~Statx.S_ISGID;
        }
        return mode;
    }

    /**
     * After a write or truncate by a non-root caller Linux drops setuid, and setgid when group
     * execute is set (setgid alone marks mandatory locking and stays). Returns the new mode, or
     * -1 when nothing changes.
     */
    static int modeAfterWrite(Caller c, Statx st) {
        if (c.isRoot() || !st.isRegular()) {
            return -1;
        }
        int p = st.perm();
        int kept = p & ~Statx.S_ISUID;
        if ((p & (Statx.S_ISGID | Statx.S_IXGRP)) == (Statx.S_ISGID | Statx.S_IXGRP)) {
            kept &= ~Statx.S_ISGID;
        }
        return kept == p ? -1 : kept;
    }
}
