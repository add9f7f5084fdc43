package org.fsnap.server.vfs.local;

import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.junit.jupiter.api.Test;

import static org.fsnap.server.vfs.local.PermissionChecker.R;
import static org.fsnap.server.vfs.local.PermissionChecker.W;
import static org.fsnap.server.vfs.local.PermissionChecker.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermissionCheckerTest {
    private static Statx st(int mode, int uid, int gid) {
        return new Statx(0x7ff, mode, 1, uid, gid, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static final Caller ROOT = Caller.root();
    private static final Caller ALICE = Caller.of(1000, 1000, 50);

    @Test
    void classes() {
        Statx f = st(Statx.S_IFREG | 0604, 1000, 50);
        assertTrue(PermissionChecker.allows(ALICE, f, R | W));
        Statx g = st(Statx.S_IFREG | 0064, 1000, 50);
        assertFalse(PermissionChecker.allows(ALICE, g, R), "owner bits only for the owner");
        Statx h = st(Statx.S_IFREG | 0640, 7, 50);
        assertTrue(PermissionChecker.allows(ALICE, h, R), "supplementary group");
        assertFalse(PermissionChecker.allows(ALICE, h, W));
        Statx o = st(Statx.S_IFREG | 0604, 7, 8);
        assertTrue(PermissionChecker.allows(ALICE, o, R));
    }

    @Test
    void root() {
        assertTrue(PermissionChecker.allows(ROOT, st(Statx.S_IFREG, 5, 5), R | W));
        assertFalse(PermissionChecker.allows(ROOT, st(Statx.S_IFREG | 0666, 5, 5), X));
        assertTrue(PermissionChecker.allows(ROOT, st(Statx.S_IFREG | 0001, 5, 5), X));
        assertTrue(PermissionChecker.allows(ROOT, st(Statx.S_IFDIR, 5, 5), X));
    }

    @Test
    void accessBits() {
        int all = 0x1ff;
        assertEquals(Access.READ | Access.LOOKUP | Access.XAREAD | Access.XALIST,
                PermissionChecker.access(ALICE, st(Statx.S_IFDIR | 0755, 7, 7), all, true));
        assertEquals(Access.READ | Access.LOOKUP,
                PermissionChecker.access(ALICE, st(Statx.S_IFDIR | 0755, 7, 7), all, false));
        assertEquals(all & ~Access.EXECUTE,
                PermissionChecker.access(ALICE, st(Statx.S_IFDIR | 0700, 1000, 7), all, true));
        assertEquals(Access.MODIFY | Access.EXTEND | Access.XAWRITE,
                PermissionChecker.access(ALICE, st(Statx.S_IFREG | 0200, 1000, 7), all, true));
        assertEquals(Access.READ, PermissionChecker.access(ALICE,
                st(Statx.S_IFREG | 0777, 1000, 7), Access.READ, true), "only what was asked");
    }

    @Test
    void modeAfterWrite() {
        assertEquals(0755, PermissionChecker.modeAfterWrite(ALICE, st(Statx.S_IFREG | 06755, 1, 1)));
        assertEquals(02645, PermissionChecker.modeAfterWrite(ALICE, st(Statx.S_IFREG | 06645, 1, 1)),
                "setgid without group x marks locking, kept");
        assertEquals(-1, PermissionChecker.modeAfterWrite(ALICE, st(Statx.S_IFREG | 0755, 1, 1)));
        assertEquals(-1, PermissionChecker.modeAfterWrite(ROOT, st(Statx.S_IFREG | 06755, 1, 1)));
    }
}
