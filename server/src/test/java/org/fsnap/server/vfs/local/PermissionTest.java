package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;

import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.XattrSetMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Permission checks done for callers by a server running as root. */
class PermissionTest extends LocalFsTestSupport {

    @Test
    void privateFileOfAnotherUser() throws Exception {
        Inode f = file(BOB, root(), "bob-only", 0600);
        write(BOB, f, "bob's", 0);
        assertEquals("bob's", read(BOB, f));
        assertVfs(VfsError.ACCESS, () -> read(ALICE, f));
        assertVfs(VfsError.ACCESS, () -> write(ALICE, f, "x", 0));
        assertEquals(0, fs.access(ALICE, f, Access.READ | Access.MODIFY | Access.EXTEND));
        assertEquals(Access.READ | Access.MODIFY | Access.EXTEND,
                fs.access(BOB, f, Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE));
        // root bypasses mode bits, except execute without any x bit
        assertEquals("bob's", read(ROOT, f));
        assertEquals(Access.READ | Access.MODIFY, fs.access(ROOT, f,
                Access.READ | Access.MODIFY | Access.EXECUTE));
    }

    @Test
    void ownerReadsAndWritesOwnFileWhateverTheMode() throws Exception {
        Inode f = file(ALICE, root(), "wo", 0200);
        write(ALICE, f, "mine", 0);
        assertEquals("mine", read(ALICE, f), "owner override on READ, as knfsd");
        assertEquals(Access.MODIFY, fs.access(ALICE, f, Access.READ | Access.MODIFY),
                "ACCESS still reports the mode bits");
    }

    @Test
    void groupAndOtherClasses() throws Exception {
        Inode f = file(ROOT, root(), "f", 0640);
        fs.setattr(ROOT, f, new SetAttributes(null, 2000, 3000, null, null, null));
        Caller member = Caller.of(1000, 1000, 3000);
        assertEquals("", read(member, f));
        assertVfs(VfsError.ACCESS, () -> write(member, f, "x", 0));
        assertVfs(VfsError.ACCESS, () -> read(ALICE, f));
        // the owner class alone applies to the owner
        Inode g = file(ROOT, root(), "g", 0077);
        fs.setattr(ROOT, g, new SetAttributes(null, 1000, null, null, null, null));
        assertEquals(0, fs.access(ALICE, g, Access.READ));
        Inode exec = file(ROOT, root(), "exec", 0711);
        assertEquals(Access.EXECUTE, fs.access(ALICE, exec, Access.EXECUTE | Access.READ));
        assertEquals("", read(ALICE, exec), "execute lets clients read the file to run it");
    }

    @Test
    void directoriesNeedSearchAndWrite() throws Exception {
        Inode d = dir(BOB, root(), "d", 0755);
        file(BOB, d, "f", 0644);
        fs.lookup(ALICE, d, "f");
        assertVfs(VfsError.ACCESS, () -> file(ALICE, d, "mine", 0644));
        assertVfs(VfsError.ACCESS, () -> fs.remove(ALICE, d, "f"));
        assertVfs(VfsError.ACCESS, () -> fs.rename(ALICE, d, "f", root(), "stolen"));
        assertEquals(Access.READ | Access.LOOKUP, fs.access(ALICE, d,
                Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE));
        assertEquals(Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE,
                fs.access(BOB, d, Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND
                        | Access.DELETE));
        Inode closed = dir(BOB, root(), "closed", 0700);
        file(BOB, closed, "f", 0644);
        assertVfs(VfsError.ACCESS, () -> fs.lookup(ALICE, closed, "f"));
        assertVfs(VfsError.ACCESS, () -> fs.list(ALICE, closed, 0, 10));
        Inode listOnly = dir(BOB, root(), "list-only", 0744);
        assertVfs(VfsError.ACCESS, () -> fs.list(ALICE, listOnly, 0, 10));
        Inode sub = dir(BOB, closed, "sub", 0755);
        assertVfs(VfsError.ACCESS, () -> fs.parentOf(ALICE, dir(BOB, sub, "x", 0700)));
    }

    @Test
    void stickyDirectory() throws Exception {
        Inode tmp = dir(ROOT, root(), "tmp", 01777);
        Inode bobs = file(BOB, tmp, "bobs", 0666);
        file(ALICE, tmp, "alices", 0644);
        assertVfs(VfsError.PERM, () -> fs.remove(ALICE, tmp, "bobs"));
        assertVfs(VfsError.PERM, () -> fs.rename(ALICE, tmp, "bobs", tmp, "x"));
        assertVfs(VfsError.PERM, () -> fs.rename(ALICE, tmp, "alices", tmp, "bobs")); // nor replace
        write(ALICE, bobs, "writable by mode still", 0);
        fs.rename(ALICE, tmp, "alices", tmp, "renamed");
        fs.remove(ALICE, tmp, "renamed");
        fs.remove(BOB, tmp, "bobs");
        // the directory's owner may remove anything in it
        Inode owned = dir(ALICE, root(), "owned", 01777);
        file(BOB, owned, "b", 0644);
        fs.remove(ALICE, owned, "b");
        file(BOB, owned, "c", 0644);
        fs.remove(ROOT, owned, "c");
    }

    @Test
    void chownAndChmodRules() throws Exception {
        Inode f = file(ALICE, root(), "f", 0644);
        assertVfs(VfsError.PERM, () -> fs.setattr(ALICE, f,
                new SetAttributes(null, 2000, null, null, null, null)));
        assertVfs(VfsError.PERM, () -> fs.setattr(ALICE, f,
                new SetAttributes(null, null, 3000, null, null, null)));
        assertVfs(VfsError.PERM, () -> fs.setattr(BOB, f, SetAttributes.ofMode(0777)));
        // to a group she belongs to: fine
        Caller alice = Caller.of(1000, 1000, 3000);
        assertEquals(3000, fs.setattr(alice, f,
                new SetAttributes(null, null, 3000, null, null, null)).gid());
        // giving the file to yourself is a no-op, allowed
        fs.setattr(alice, f, new SetAttributes(null, 1000, null, null, null, null));
        // root gives it away
        Stat st = fs.setattr(ROOT, f, new SetAttributes(null, 2000, 2000, null, null, null));
        assertEquals(2000, st.uid());
        assertEquals(2000, st.gid());

        // setgid dropped by chmod when the owner is not in the file's group
        Inode g = file(ALICE, root(), "g", 0644);
        fs.setattr(ROOT, g, new SetAttributes(null, null, 5000, null, null, null));
        assertEquals(0755, fs.setattr(ALICE, g, SetAttributes.ofMode(02755)).mode());
        assertEquals(02755, fs.setattr(Caller.of(1000, 1000, 5000), g,
                SetAttributes.ofMode(02755)).mode());
    }

    @Test
    void timesAndTruncate() throws Exception {
        Inode f = file(BOB, root(), "f", 0666);
        Inode ro = file(BOB, root(), "ro", 0644);
        // "now" with write permission is allowed, explicit times are the owner's
        fs.setattr(ALICE, f, new SetAttributes(null, null, null, null,
                SetAttributes.SET_TO_SERVER_TIME, SetAttributes.SET_TO_SERVER_TIME));
        assertVfs(VfsError.PERM, () -> fs.setattr(ALICE, f,
                new SetAttributes(null, null, null, null, 5L, 5L)));
        assertVfs(VfsError.ACCESS, () -> fs.setattr(ALICE, ro,
                new SetAttributes(null, null, null, null, null, SetAttributes.SET_TO_SERVER_TIME)));
        fs.setattr(ALICE, f, new SetAttributes(null, null, null, 0L, null, null));
        assertVfs(VfsError.ACCESS, () -> fs.setattr(ALICE, ro,
                new SetAttributes(null, null, null, 0L, null, null)));
    }

    @Test
    void writeByNonRootDropsSetuid() throws Exception {
        Inode f = file(ALICE, root(), "prog", 06775);
        fs.setattr(ROOT, f, new SetAttributes(null, null, 1000, null, null, null));
        assertEquals(06775, fs.getattr(f).mode());
        fs.write(ALICE, f, ByteBuffer.wrap(new byte[] {1}), 0, null);
        assertEquals(0775, fs.getattr(f).mode());
        Inode g = file(ROOT, root(), "rootprog", 04755);
        fs.write(ROOT, g, ByteBuffer.wrap(new byte[] {1}), 0, null);
        assertEquals(04755, fs.getattr(g).mode(), "root keeps it (CAP_FSETID)");
    }

    @Test
    void createOwnershipRules() throws Exception {
        open();
        assertVfs(VfsError.PERM, () -> fs.create(ALICE, root(), "x", FileType.REGULAR,
                new SetAttributes(0644, 2000, null, null, null, null), null));
        assertVfs(VfsError.PERM, () -> fs.create(ALICE, root(), "y", FileType.REGULAR,
                new SetAttributes(0644, null, 7000, null, null, null), null));
        Inode z = fs.create(ROOT, root(), "z", FileType.REGULAR,
                new SetAttributes(0600, 2000, 7000, null, null, null), null);
        assertEquals(2000, fs.getattr(z).uid());
        assertEquals(7000, fs.getattr(z).gid());
    }

    @Test
    void hardLinkProtection() throws Exception {
        Inode secret = file(BOB, root(), "secret", 0600);
        Inode shared = file(BOB, root(), "shared", 0666);
        Inode d = dir(ALICE, root(), "d", 0755);
        assertVfs(VfsError.PERM, () -> fs.link(ALICE, secret, d, "s"));
        fs.link(ALICE, shared, d, "ok");
        fs.link(BOB, secret, root(), "bobs-own");
    }

    @Test
    void xattrPermissions() throws Exception {
        Inode f = file(BOB, root(), "f", 0644);
        fs.setXattr(BOB, f, "k", "v".getBytes(), XattrSetMode.EITHER);
        assertEquals("v", new String(fs.getXattr(ALICE, f, "k")));
        assertEquals(java.util.List.of("k"), fs.listXattrs(ALICE, f));
        assertVfs(VfsError.ACCESS, () -> fs.setXattr(ALICE, f, "k", new byte[1],
                XattrSetMode.EITHER));
        assertVfs(VfsError.ACCESS, () -> fs.removeXattr(ALICE, f, "k"));
        Inode p = file(BOB, root(), "p", 0600);
        assertVfs(VfsError.ACCESS, () -> fs.getXattr(ALICE, p, "k"));
        assertVfs(VfsError.ACCESS, () -> fs.listXattrs(ALICE, p));
        assertEquals(Access.XAREAD | Access.XALIST, fs.access(ALICE, f,
                Access.XAREAD | Access.XALIST | Access.XAWRITE));
        Inode sticky = dir(BOB, root(), "sticky", 01777);
        assertVfs(VfsError.PERM, () -> fs.setXattr(ALICE, sticky, "k", new byte[1],
                XattrSetMode.EITHER));
    }
}
