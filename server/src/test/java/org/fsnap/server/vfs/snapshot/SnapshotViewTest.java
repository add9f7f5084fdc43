package org.fsnap.server.vfs.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.XattrSetMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The .fsnap view and the xattr snapshot control over a real local export and engine. */
@Timeout(120)
class SnapshotViewTest extends SnapshotStackSupport {

    @Test
    void seedsCheckThroughTheControlAttributes() throws Exception {
        Inode f = file(root(), "disk.img", "ABCDEFGHIJ", ALICE, 0644);
        long ino = fs.getattr(f).fileId();
        control(ALICE, f, "fsnap.create", "image1");
        write(ALICE, f, "1234567890", 0);
        control(ALICE, f, "fsnap.create", "image2");
        control(ALICE, f, "fsnap.revert", "image1");
        assertEquals("ABCDEFGHIJ", read(ALICE, f));
        control(ALICE, f, "fsnap.revert", "image2");
        assertEquals("1234567890", read(ALICE, f));
        assertEquals(ino, fs.getattr(f).fileId(), "revert keeps the inode");
        assertEquals("image1\nimage2\n", query(ALICE, f, "fsnap.list"));
        assertEquals("image2", query(ALICE, f, "fsnap.current"));
    }

    @Test
    void infoShowsBranchingHistory() throws Exception {
        Inode f = file(root(), "f", "one", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "a");
        write(ALICE, f, "two", 0);
        control(ALICE, f, "fsnap.create", "b");
        control(ALICE, f, "fsnap.revert", "a");
        control(ALICE, f, "fsnap.create", "c");
        String[] lines = query(ALICE, f, "fsnap.info").split("\n");
        assertEquals(3, lines.length);
        String[] a = lines[0].split("\t", -1);
        String[] b = lines[1].split("\t", -1);
        String[] c = lines[2].split("\t", -1);
        assertEquals(List.of("a", "3", ""), List.of(a[0], a[2], a[3]));
        assertEquals(List.of("b", "a"), List.of(b[0], b[3]));
        assertEquals(List.of("c", "a"), List.of(c[0], c[3]), "c branches from a, not from b");
        assertTrue(a[1].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), a[1]);
        assertEquals("c", query(ALICE, f, "fsnap.current"));
        control(ALICE, f, "fsnap.create", "");
        assertEquals(4, query(ALICE, f, "fsnap.list").split("\n").length, "automatic name");
    }

    @Test
    void controlErrors() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        assertVfs(VfsError.EXIST, () -> control(ALICE, f, "fsnap.create", "s1"));
        assertVfs(VfsError.NOXATTR, () -> control(ALICE, f, "fsnap.revert", "nope"));
        assertVfs(VfsError.NOXATTR, () -> control(ALICE, f, "fsnap.delete", "nope"));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.create", "a/b"));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.create", ".."));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.create", "a\tb"));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.create", "a\nb"));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.revert", ""));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.bogus", "x"));
        assertVfs(VfsError.INVAL, () -> control(ALICE, f, "fsnap.list", "x"));
        assertVfs(VfsError.INVAL, () -> query(ALICE, f, "fsnap.create"));
        assertVfs(VfsError.INVAL, () -> query(ALICE, f, "fsnap.other"));
        assertVfs(VfsError.INVAL, () -> fs.removeXattr(ALICE, f, "fsnap.list"));
        // a non-owner may read (mode 0644) but not create or revert
        assertEquals("s1\n", query(BOB, f, "fsnap.list"));
        assertVfs(VfsError.ACCESS, () -> control(BOB, f, "fsnap.create", "s2"));
        assertVfs(VfsError.ACCESS, () -> control(BOB, f, "fsnap.revert", "s1"));
        assertVfs(VfsError.ACCESS, () -> control(BOB, f, "fsnap.delete", "s1"));
        Inode secret = file(root(), "secret", "x", ALICE, 0600);
        assertVfs(VfsError.ACCESS, () -> query(BOB, secret, "fsnap.list"));
        // not a regular file
        Inode d = dir(root(), "d");
        assertVfs(VfsError.ISDIR, () -> control(ROOT, d, "fsnap.create", "s"));
        assertVfs(VfsError.ISDIR, () -> query(ROOT, d, "fsnap.list"));
        Inode link = fs.create(ROOT, root(), "ln", FileType.SYMLINK, SetAttributes.NONE, "f");
        assertVfs(VfsError.INVAL, () -> control(ROOT, link, "fsnap.create", "s"));
        // deleting works, and the name is free again
        control(ALICE, f, "fsnap.delete", "s1");
        assertEquals("", query(ALICE, f, "fsnap.list"));
        assertEquals("", query(ALICE, f, "fsnap.current"));
        control(ALICE, f, "fsnap.create", "s1");
    }

    @Test
    void controlNamesAreVirtualAndUserXattrsPassThrough() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        fs.setXattr(ALICE, f, "color", "blue".getBytes(StandardCharsets.UTF_8), XattrSetMode.EITHER);
        control(ALICE, f, "fsnap.create", "s1");
        assertEquals(List.of("color"), fs.listXattrs(ALICE, f));
        assertEquals("blue", new String(fs.getXattr(ALICE, f, "color"), StandardCharsets.UTF_8));
        // stored locally as user.color; nothing under user.fsnap.*
        var view = Files.getFileAttributeView(export.resolve("f"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertEquals(List.of("color"), view.list());
        // a stray local user.fsnap.* attribute is never shown
        view.write("fsnap.stray", ByteBuffer.wrap(new byte[] {1}));
        assertEquals(List.of("color"), fs.listXattrs(ALICE, f));
    }

    @Test
    void viewIsHiddenButReachable() throws Exception {
        Inode d = dir(root(), "d");
        Inode f = file(d, "f", "hello", ALICE, 0640);
        file(d, "plain", "no snapshots", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        assertEquals(List.of("f", "plain"), names(ROOT, d).stream().sorted().toList());
        assertFalse(names(ROOT, root()).contains(".fsnap"));
        assertFalse(names(ROOT, root()).contains(".fsnap-store"));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, root(), ".fsnap-store"));

        Inode view = fs.lookup(ROOT, d, ".fsnap");
        assertEquals(FileType.DIRECTORY, view.type());
        assertEquals(List.of("f"), names(ROOT, view));
        Inode hist = fs.lookup(ROOT, view, "f");
        assertEquals(List.of("s1"), names(ROOT, hist));
        Inode snap = fs.lookup(ROOT, hist, "s1");
        assertEquals("hello", read(ROOT, snap));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, view, "plain"));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, hist, "s2"));
        assertEquals(d, fs.parentOf(ROOT, view));
        assertEquals(view, fs.parentOf(ROOT, hist));

        // attributes: virtual fileids, owner and mode of the live file without write bits
        Stat live = fs.getattr(f);
        Stat s = fs.getattr(snap);
        assertEquals(FileType.REGULAR, s.type());
        assertTrue(s.fileId() < 0, "high bit set");
        assertNotEquals(live.fileId(), s.fileId());
        assertEquals(0440, s.mode());
        assertEquals(1000, s.uid());
        assertEquals(5, s.size());
        assertEquals(live.mtimeNanos(), s.mtimeNanos(), "the content's mtime");
        Stat h = fs.getattr(hist);
        assertEquals(FileType.DIRECTORY, h.type());
        assertEquals(0550, h.mode());
        assertTrue(h.fileId() < 0 && fs.getattr(view).fileId() < 0);
        assertEquals(0555, fs.getattr(view).mode());

        // stable across restarts: same handles resolve, same fileids
        byte[] snapHandle = snap.handle();
        long snapId = s.fileId();
        fs.close();
        local.close();
        local = new org.fsnap.server.vfs.local.LocalFileSystem(export, java.util.Set.of(".fsnap-state", ".fsnap-store"));
        fs = SnapshotStack.build(export, local, 0);
        Inode again = fs.inodeOf(snapHandle);
        assertEquals(snapId, fs.getattr(again).fileId());
        assertEquals("hello", read(ROOT, again));
    }

    @Test
    void permissionToReadIsTheLiveFiles() throws Exception {
        Inode f = file(root(), "f", "private", ALICE, 0600);
        control(ALICE, f, "fsnap.create", "s1");
        Inode view = fs.lookup(ALICE, root(), ".fsnap");
        Inode hist = fs.lookup(ALICE, view, "f");
        Inode snap = fs.lookup(ALICE, hist, "s1");
        assertEquals("private", read(ALICE, snap));
        assertVfs(VfsError.ACCESS, () -> read(BOB, snap));
        assertVfs(VfsError.ACCESS, () -> fs.lookup(BOB, hist, "s1"));
        assertVfs(VfsError.ACCESS, () -> fs.list(BOB, hist, 0, 10));
        assertEquals(0, fs.access(BOB, snap, Access.READ));
        assertEquals(Access.READ, fs.access(ALICE, snap, Access.READ));
        fs.setattr(ROOT, f, SetAttributes.ofMode(0644));
        assertEquals("private", read(BOB, snap), "follows the live file's mode");
    }

    @Test
    void everythingBelowTheViewIsReadOnly() throws Exception {
        Inode f = file(root(), "f", "data", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        Inode view = fs.lookup(ALICE, root(), ".fsnap");
        Inode hist = fs.lookup(ALICE, view, "f");
        Inode snap = fs.lookup(ALICE, hist, "s1");
        for (Inode dir : List.of(view, hist)) {
            assertVfs(VfsError.ROFS, () -> fs.create(ALICE, dir, "new", FileType.REGULAR,
                    SetAttributes.ofMode(0644), null));
            assertVfs(VfsError.ROFS, () -> fs.remove(ALICE, dir, "s1"));
            assertVfs(VfsError.ROFS, () -> fs.rename(ALICE, dir, "s1", root(), "x"));
            assertVfs(VfsError.ROFS, () -> fs.rename(ALICE, root(), "f", dir, "x"));
            assertVfs(VfsError.ROFS, () -> fs.link(ALICE, f, dir, "x"));
        }
        assertVfs(VfsError.ROFS, () -> fs.write(ALICE, snap, ByteBuffer.wrap(new byte[] {1}), 0,
                Stability.FILE_SYNC));
        assertVfs(VfsError.ROFS, () -> fs.setattr(ALICE, snap, SetAttributes.ofMode(0777)));
        assertVfs(VfsError.ROFS, () -> fs.setXattr(ALICE, snap, "color", new byte[] {1},
                XattrSetMode.EITHER));
        assertVfs(VfsError.ROFS, () -> control(ALICE, snap, "fsnap.create", "x"));
        assertVfs(VfsError.ROFS, () -> fs.remove(ALICE, root(), ".fsnap"));
        assertEquals(List.of(), fs.listXattrs(ALICE, snap));
        assertTrue(fs.xattrSupported(snap), "so that clients send SETXATTR and show EROFS");
        // the name .fsnap is reserved everywhere
        assertVfs(VfsError.EXIST, () -> fs.create(ALICE, root(), ".fsnap", FileType.DIRECTORY,
                SetAttributes.ofMode(0755), null));
        assertVfs(VfsError.EXIST, () -> fs.rename(ALICE, root(), "f", root(), ".fsnap"));
        assertVfs(VfsError.EXIST, () -> fs.link(ALICE, f, root(), ".fsnap"));
        // ACCESS grants the modifying bits so clients send the operation and show EROFS
        assertEquals(Access.MODIFY, fs.access(ALICE, snap, Access.MODIFY));
        assertEquals("data", read(ALICE, snap));
    }

    @Test
    void changeAttributesMoveWithSnapshots() throws Exception {
        Inode f = file(root(), "f", "v1", ALICE, 0644);
        Inode view = fs.lookup(ROOT, root(), ".fsnap");
        long viewBefore = fs.getattr(view).change();
        control(ALICE, f, "fsnap.create", "s1");
        long viewAfter = fs.getattr(view).change();
        assertNotEquals(viewBefore, viewAfter, "a first snapshot adds the file to the view");
        Inode hist = fs.lookup(ROOT, view, "f");
        long h1 = fs.getattr(hist).change();
        control(ALICE, f, "fsnap.create", "s2");
        long h2 = fs.getattr(hist).change();
        assertNotEquals(h1, h2);
        control(ALICE, f, "fsnap.delete", "s1");
        assertNotEquals(h2, fs.getattr(hist).change());

        // the live file's change moves on every control operation, however quick
        long c0 = fs.getattr(f).change();
        control(ALICE, f, "fsnap.revert", "s2");
        long c1 = fs.getattr(f).change();
        control(ALICE, f, "fsnap.revert", "s2");
        long c2 = fs.getattr(f).change();
        control(ALICE, f, "fsnap.create", "s3");
        long c3 = fs.getattr(f).change();
        assertTrue(c0 < c1 && c1 < c2 && c2 < c3, c0 + " " + c1 + " " + c2 + " " + c3);
        write(ALICE, f, "v2", 0);
        assertTrue(fs.getattr(f).change() > c3);
    }

    @Test
    void removedFilesKeepTheirSnapshotsInTheView() throws Exception {
        Inode d = dir(root(), "d");
        Inode f = file(d, "f", "old", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        fs.remove(ALICE, d, "f");
        Inode view = fs.lookup(ROOT, d, ".fsnap");
        List<String> shown = names(ROOT, view);
        assertEquals(1, shown.size());
        assertTrue(shown.get(0).startsWith("f@"), shown.toString());
        Inode hist = fs.lookup(ROOT, view, shown.get(0));
        assertEquals("old", read(ROOT, fs.lookup(ROOT, hist, "s1")));
        Stat orphan = fs.getattr(hist);
        assertEquals(0500, orphan.mode(), "orphans belong to the directory's owner");
        // a new file under the old name starts without snapshots
        Inode fresh = file(d, "f", "new", ALICE, 0644);
        assertEquals("", query(ALICE, fresh, "fsnap.list"));
    }

    @Test
    void renamedFilesTakeTheirSnapshotsAlong() throws Exception {
        Inode a = dir(root(), "a");
        Inode b = dir(root(), "b");
        Inode f = file(a, "f", "content", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        fs.rename(ALICE, a, "f", b, "g");
        assertEquals(List.of(), names(ROOT, fs.lookup(ROOT, a, ".fsnap")));
        Inode hist = fs.lookup(ROOT, fs.lookup(ROOT, b, ".fsnap"), "g");
        assertEquals(List.of("s1"), names(ROOT, hist));
        Inode g = fs.lookup(ALICE, b, "g");
        assertEquals("s1\n", query(ALICE, g, "fsnap.list"));
        // an overwritten file with snapshots becomes an orphan, not lost
        Inode h = file(b, "h", "h-content", ALICE, 0644);
        control(ALICE, h, "fsnap.create", "h1");
        fs.rename(ALICE, b, "g", b, "h");
        List<String> shown = names(ROOT, fs.lookup(ROOT, b, ".fsnap"));
        assertTrue(shown.contains("h") && shown.stream().anyMatch(n -> n.startsWith("h@")), shown.toString());
    }

    @Test
    void deletedSnapshotHandlesGoStale() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        control(ALICE, f, "fsnap.create", "s1");
        Inode hist = fs.lookup(ROOT, fs.lookup(ROOT, root(), ".fsnap"), "f");
        byte[] h = fs.lookup(ROOT, hist, "s1").handle();
        assertEquals("x", read(ROOT, fs.inodeOf(h)));
        control(ALICE, f, "fsnap.delete", "s1");
        assertVfs(VfsError.STALE, () -> fs.inodeOf(h));
        control(ALICE, f, "fsnap.create", "s1");
        assertVfs(VfsError.STALE, () -> fs.inodeOf(h)); // same name, another snapshot
        byte[] forged = h.clone();
        forged[5] ^= 1; // another history key
        assertVfs(VfsError.STALE, () -> fs.inodeOf(forged));
    }

    @Test
    void filesKnownOnlyFromAListingOrAHintCanBeSnapshotted() throws Exception {
        Inode d = dir(root(), "d");
        Files.writeString(export.resolve("d/listed"), "from a listing");
        Inode listed = fs.list(ROOT, d, 0, 100).entries().stream()
                .filter(e -> e.name().equals("listed")).findFirst().orElseThrow().inode();
        control(ROOT, listed, "fsnap.create", "s1");
        assertEquals("s1\n", query(ROOT, listed, "fsnap.list"));

        // a handle the view never handed out (as after a restart): STALE without help...
        Files.writeString(export.resolve("d/unseen"), "never seen");
        Inode unseen = local.lookup(ROOT, local.lookup(ROOT, local.root(), "d"), "unseen");
        Inode fromHandle = fs.inodeOf(unseen.handle());
        Files.writeString(export.resolve("d/other"), "x"); // d is no longer as listed...
        fs.close();
        fs = SnapshotStack.build(export, local, 0); // ...and a fresh view has listed nothing
        Inode again = fs.inodeOf(fromHandle.handle());
        assertVfs(VfsError.STALE, () -> control(ROOT, again, "fsnap.create", "s1"));
        // ...and placed with the local filesystem's hint
        fs.close();
        fs = SnapshotStack.build(export, local, local::pathOf, 0);
        Inode hinted = fs.inodeOf(fromHandle.handle());
        control(ROOT, hinted, "fsnap.create", "s1");
        assertEquals("s1\n", query(ROOT, hinted, "fsnap.list"));
    }

    @Test
    void writesWaitForSnapshotOperations() throws Exception {
        Inode f = file(root(), "f", "0000000000", ALICE, 0644);
        // the write path takes the engine's inode lock shared: hold it exclusively, and a
        // write must wait
        long ino = fs.getattr(f).fileId();
        long dev = (Long) Files.getAttribute(export, "unix:dev");
        var lock = fs.engine().locks().exclusive(new org.fsnap.snapshot.lock.LockKey.Inode(dev, ino));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                write(ALICE, f, "1111111111", 0);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.join(300);
        assertTrue(writer.isAlive(), "write waited for the exclusive lock");
        assertEquals("0000000000", Files.readString(export.resolve("f")));
        lock.close();
        writer.join(5000);
        assertEquals("1111111111", Files.readString(export.resolve("f")));
    }

    @Test
    void largeSnapshotReadsAreLentFromTheSnapshotsPages() throws Exception {
        byte[] old = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(old);
        Inode f = file(root(), "big", "", ALICE, 0640);
        fs.write(ROOT, f, ByteBuffer.wrap(old), 0, Stability.FILE_SYNC);
        control(ALICE, f, "fsnap.create", "s1");
        fs.write(ROOT, f, ByteBuffer.wrap(new byte[old.length]), 0, Stability.FILE_SYNC); // live moves on
        Inode hist = fs.lookup(ROOT, fs.lookup(ROOT, root(), ".fsnap"), "big");
        Inode snap = fs.lookup(ROOT, hist, "s1");

        try (FileView head = fs.readView(ALICE, snap, 4096 + 3, 128 * 1024);
             FileView tail = fs.readView(ALICE, snap, 200 * 1024, 1024 * 1024)) {
            assertNotNull(head, "a mapped view, not a copy");
            assertTrue(head.bytes().isReadOnly());
            assertFalse(head.eof());
            assertArrayEquals(java.util.Arrays.copyOfRange(old, 4096 + 3, 4096 + 3 + 128 * 1024), bytes(head));
            assertTrue(tail.eof(), "reaches the end");
            control(ALICE, f, "fsnap.delete", "s1"); // unlinked, still mapped
            assertArrayEquals(java.util.Arrays.copyOfRange(old, 200 * 1024, old.length), bytes(tail));
        }
    }

    @Test
    void snapshotViewsAreRefusedAsReadsAre() throws Exception {
        Inode f = file(root(), "big", "", ALICE, 0600);
        fs.write(ROOT, f, ByteBuffer.wrap(new byte[200 * 1024]), 0, Stability.FILE_SYNC);
        control(ALICE, f, "fsnap.create", "s1");
        Inode hist = fs.lookup(ROOT, fs.lookup(ROOT, root(), ".fsnap"), "big");
        Inode snap = fs.lookup(ROOT, hist, "s1");
        assertVfs(VfsError.ACCESS, () -> fs.readView(BOB, snap, 0, 128 * 1024));
        assertVfs(VfsError.ISDIR, () -> fs.readView(ROOT, hist, 0, 128 * 1024));
        assertVfs(VfsError.INVAL, () -> fs.readView(ALICE, snap, -1, 128 * 1024));
        assertNull(fs.readView(ALICE, snap, 0, 4096), "small reads are copied");
        assertNull(fs.readView(ALICE, snap, 180 * 1024, 128 * 1024), "so are short tails");
        assertNull(fs.readView(ALICE, snap, 400 * 1024, 128 * 1024), "and reads past the end");
    }

    private static byte[] bytes(FileView v) {
        ByteBuffer b = v.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
