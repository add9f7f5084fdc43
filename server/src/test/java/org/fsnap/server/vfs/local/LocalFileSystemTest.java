package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalFileSystemTest extends LocalFsTestSupport {

    @Test
    void createWriteReadAndAttributes() throws Exception {
        Inode f = file(ALICE, dir(ROOT, root(), "home", 0777), "a.txt", 0640);
        Stat before = fs.getattr(f);
        assertEquals(FileType.REGULAR, before.type());
        assertEquals(0640, before.mode(), "mode set exactly, no umask");
        assertEquals(1000, before.uid());
        assertEquals(1000, before.gid());
        assertEquals(1, before.nlink());
        write(ALICE, f, "hello world", 0);
        assertEquals("hello world", read(ALICE, f));
        Stat after = fs.getattr(f);
        assertEquals(11, after.size());
        assertNotEquals(before.change(), after.change(), "change moves with data");
        assertEquals(Files.readAttributes(export.resolve("home/a.txt"), "unix:ino").get("ino"),
                after.fileId());
        assertTrue(after.mtimeNanos() > 0 && after.ctimeNanos() > 0 && after.atimeNanos() > 0);
        assertTrue(after.createTimeNanos() > 0, "ext4 has btime");
        assertEquals(fs.getattr(root()).fsidMajor(), after.fsidMajor());

        // read at EOF gives -1, partial read past the end the rest
        assertEquals(-1, fs.read(ALICE, f, ByteBuffer.allocate(10), 11));
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        assertEquals(5, fs.read(ALICE, f, direct, 6));
        // direct buffers write too, at an offset
        ByteBuffer src = ByteBuffer.allocateDirect(5).put("WORLD".getBytes()).flip();
        assertEquals(Stability.FILE_SYNC, fs.write(ALICE, f, src, 6, Stability.FILE_SYNC));
        assertEquals("hello WORLD", read(ALICE, f));
        fs.commit(f, 0, 0);

        Stat chmodded = fs.setattr(ALICE, f, SetAttributes.ofMode(0600));
        assertEquals(0600, chmodded.mode());
        assertNotEquals(after.change(), chmodded.change(), "change moves with metadata");
    }

    @Test
    void largeHeapWriteCrossesBounceBuffer() throws Exception {
        Inode f = file(ROOT, root(), "big", 0644);
        byte[] data = new byte[3 * NativeBuffers.CHUNK + 12345];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 11));
        }
        fs.write(ROOT, f, ByteBuffer.wrap(data), 7, Stability.UNSTABLE);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        assertEquals(data.length, fs.read(ROOT, f, back, 7));
        assertArrayEquals(data, back.array());
        assertEquals(data.length + 7, fs.getattr(f).size());
    }

    @Test
    void createsEveryTypeAndRefusesDevices() throws Exception {
        Inode r = root();
        Inode d = dir(ALICE, r, "d", 0750);
        assertEquals(FileType.DIRECTORY, fs.getattr(d).type());
        assertEquals(0750, fs.getattr(d).mode());
        Inode l = fs.create(ALICE, r, "l", FileType.SYMLINK, SetAttributes.NONE, "../x/y");
        assertEquals(FileType.SYMLINK, fs.getattr(l).type());
        assertEquals(1000, fs.getattr(l).uid(), "lchown, not chown of the target");
        assertEquals("../x/y", fs.readlink(ALICE, l));
        Inode p = fs.create(ALICE, r, "p", FileType.FIFO, SetAttributes.ofMode(0620), null);
        assertEquals(FileType.FIFO, fs.getattr(p).type());
        assertEquals(0620, fs.getattr(p).mode());
        Inode s = fs.create(ALICE, r, "s", FileType.SOCKET, SetAttributes.NONE, null);
        assertEquals(FileType.SOCKET, fs.getattr(s).type());
        assertVfs(VfsError.BADTYPE, () -> fs.create(ROOT, r, "c", FileType.CHAR_DEVICE,
                SetAttributes.NONE, null));
        assertVfs(VfsError.BADTYPE, () -> fs.create(ROOT, r, "b", FileType.BLOCK_DEVICE,
                SetAttributes.NONE, null));
        Inode def = fs.create(ALICE, r, "def", FileType.REGULAR, SetAttributes.NONE, null);
        assertEquals(0644, fs.getattr(def).mode());
        assertEquals(0755, fs.getattr(dir(ALICE, r, "dd", 0755)).mode());
        assertEquals(0755, fs.getattr(fs.create(ALICE, r, "dd2", FileType.DIRECTORY,
                SetAttributes.NONE, null)).mode());

        assertVfs(VfsError.EXIST, () -> file(ALICE, r, "d", 0644));
        assertVfs(VfsError.EXIST, () -> dir(ALICE, r, "p", 0755));
        assertVfs(VfsError.WRONG_TYPE, () -> fs.readlink(ALICE, p));
        assertVfs(VfsError.WRONG_TYPE, () -> fs.read(ALICE, p, ByteBuffer.allocate(1), 0));
        assertVfs(VfsError.ISDIR, () -> fs.read(ALICE, d, ByteBuffer.allocate(1), 0));
        assertVfs(VfsError.ISDIR, () -> write(ALICE, d, "x", 0));
        assertVfs(VfsError.SYMLINK, () -> write(ALICE, l, "x", 0));
        assertVfs(VfsError.WRONG_TYPE, () -> write(ALICE, s, "x", 0));
        assertVfs(VfsError.ISDIR, () -> fs.commit(d, 0, 0));
    }

    @Test
    void namesAreChecked() throws Exception {
        Inode r = root();
        file(ROOT, r, "f", 0644);
        assertVfs(VfsError.BADNAME, () -> fs.lookup(ROOT, r, "."));
        assertVfs(VfsError.BADNAME, () -> fs.lookup(ROOT, r, ".."));
        assertVfs(VfsError.BADNAME, () -> fs.lookup(ROOT, r, "a/b"));
        assertVfs(VfsError.BADNAME, () -> file(ROOT, r, "a\0b", 0644));
        assertVfs(VfsError.INVAL, () -> fs.lookup(ROOT, r, ""));
        String longName = "x".repeat(256);
        assertVfs(VfsError.NAMETOOLONG, () -> file(ROOT, r, longName, 0644));
        assertVfs(VfsError.NAMETOOLONG, () -> fs.lookup(ROOT, r, "é".repeat(128)));
        Inode ok = file(ROOT, r, "x".repeat(255), 0644);
        assertEquals(ok, fs.lookup(ROOT, r, "x".repeat(255)));
        Inode utf = file(ROOT, r, "grüße-日本", 0644);
        assertEquals(utf, fs.lookup(ROOT, r, "grüße-日本"));
        assertTrue(Files.exists(export.resolve("grüße-日本")));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, r, "missing"));
        Inode f = fs.lookup(ROOT, r, "f");
        assertVfs(VfsError.NOTDIR, () -> fs.lookup(ROOT, f, "x"));
        assertVfs(VfsError.NOTDIR, () -> file(ROOT, f, "x", 0644));
        assertVfs(VfsError.NOTDIR, () -> fs.list(ROOT, f, 0, 10));
        assertVfs(VfsError.NOENT, () -> fs.parentOf(ROOT, r));
    }

    @Test
    void lookupAndParent() throws Exception {
        Inode a = dir(ROOT, root(), "a", 0755);
        Inode b = dir(ROOT, a, "b", 0755);
        assertEquals(b, fs.lookup(ROOT, a, "b"));
        assertEquals(a, fs.parentOf(ROOT, b));
        assertEquals(root(), fs.parentOf(ROOT, a));
        assertEquals(FileType.DIRECTORY, fs.parentOf(ROOT, b).type());
    }

    @Test
    void removeFilesAndDirectories() throws Exception {
        Inode r = root();
        Inode d = dir(ROOT, r, "d", 0755);
        file(ROOT, d, "inner", 0644);
        assertVfs(VfsError.NOTEMPTY, () -> fs.remove(ROOT, r, "d"));
        fs.remove(ROOT, d, "inner");
        fs.remove(ROOT, r, "d");
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, r, "d"));
        assertVfs(VfsError.NOENT, () -> fs.remove(ROOT, r, "d"));
        Inode l = fs.create(ROOT, r, "link", FileType.SYMLINK, SetAttributes.NONE, "/");
        fs.remove(ROOT, r, "link");
        assertVfs(VfsError.STALE, () -> fs.getattr(l));
        assertTrue(Files.isDirectory(export), "removing a symlink never touches its target");
    }

    @Test
    void renameSemantics() throws Exception {
        Inode r = root();
        Inode a = dir(ROOT, r, "a", 0755);
        Inode b = dir(ROOT, r, "b", 0755);
        Inode f = file(ROOT, a, "f", 0644);
        write(ROOT, f, "data", 0);
        fs.rename(ROOT, a, "f", b, "g");
        assertEquals(f, fs.lookup(ROOT, b, "g"), "same object, same handle after rename");
        assertEquals("data", read(ROOT, f));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, a, "f"));

        // replace a file
        Inode other = file(ROOT, b, "other", 0644);
        fs.rename(ROOT, b, "g", b, "other");
        assertVfs(VfsError.STALE, () -> fs.getattr(other));
        assertEquals("data", read(ROOT, fs.lookup(ROOT, b, "other")));

        // directory over file, file over directory, directory over non-empty directory
        Inode d1 = dir(ROOT, r, "d1", 0755);
        Inode d2 = dir(ROOT, r, "d2", 0755);
        file(ROOT, d2, "x", 0644);
        assertVfs(VfsError.EXIST, () -> fs.rename(ROOT, r, "d1", b, "other"));
        assertVfs(VfsError.EXIST, () -> fs.rename(ROOT, b, "other", r, "d1"));
        assertVfs(VfsError.EXIST, () -> fs.rename(ROOT, r, "d1", r, "d2"));
        // directory over an empty directory is fine
        Inode d3 = dir(ROOT, r, "d3", 0755);
        fs.rename(ROOT, r, "d1", r, "d3");
        assertEquals(d1, fs.lookup(ROOT, r, "d3"));
        assertVfs(VfsError.STALE, () -> fs.getattr(d3));
        // into its own subdirectory
        Inode sub = dir(ROOT, d2, "sub", 0755);
        assertVfs(VfsError.INVAL, () -> fs.rename(ROOT, r, "d2", sub, "loop"));
        // hard links to the same file: nothing happens
        fs.link(ROOT, f, b, "f2");
        fs.rename(ROOT, b, "other", b, "f2");
        assertEquals(f, fs.lookup(ROOT, b, "other"));
        assertEquals(f, fs.lookup(ROOT, b, "f2"));
        assertVfs(VfsError.NOENT, () -> fs.rename(ROOT, r, "nope", r, "x"));
    }

    @Test
    void hardLinks() throws Exception {
        Inode r = root();
        Inode f = file(ROOT, r, "f", 0644);
        Inode d = dir(ROOT, r, "d", 0755);
        fs.link(ROOT, f, d, "f-link");
        assertEquals(2, fs.getattr(f).nlink());
        assertEquals(f, fs.lookup(ROOT, d, "f-link"));
        assertVfs(VfsError.EXIST, () -> fs.link(ROOT, f, d, "f-link"));
        assertVfs(VfsError.ISDIR, () -> fs.link(ROOT, d, r, "dir-link"));
        assertVfs(VfsError.NOTDIR, () -> fs.link(ROOT, f, f, "x"));
        // one link gone: the handle still works
        fs.remove(ROOT, r, "f");
        assertEquals(1, fs.getattr(f).nlink());
    }

    @Test
    void setattrTruncateAndTimes() throws Exception {
        Inode f = file(ALICE, root(), "f", 0644);
        write(ALICE, f, "0123456789", 0);
        assertEquals(4, fs.setattr(ALICE, f, new SetAttributes(null, null, null, 4L, null, null))
                .size());
        assertEquals("0123", read(ALICE, f));
        Stat t = fs.setattr(ALICE, f, new SetAttributes(null, null, null, null,
                1_000_000_123L, 2_000_000_456L));
        assertEquals(1_000_000_123L, t.atimeNanos());
        assertEquals(2_000_000_456L, t.mtimeNanos());
        Stat now = fs.setattr(ALICE, f, new SetAttributes(null, null, null, null,
                SetAttributes.SET_TO_SERVER_TIME, SetAttributes.SET_TO_SERVER_TIME));
        assertTrue(now.mtimeNanos() > 2_000_000_456L);
        // the kernel's UTIME_NOW / UTIME_OMIT tv_nsec, read as whole nanoseconds, are real times
        Stat early = fs.setattr(ALICE, f, new SetAttributes(null, null, null, null,
                1_073_741_822L, 1_073_741_823L));
        assertEquals(1_073_741_822L, early.atimeNanos());
        assertEquals(1_073_741_823L, early.mtimeNanos());
        // one time set, the other kept
        Stat onlyM = fs.setattr(ALICE, f, new SetAttributes(null, null, null, null, null,
                -1_500_000_000L));
        assertEquals(1_073_741_822L, onlyM.atimeNanos());
        assertEquals(-1_500_000_000L, onlyM.mtimeNanos());
        Inode d = dir(ALICE, root(), "d", 0755);
        Stat ds = fs.setattr(ALICE, d, new SetAttributes(null, null, null, null,
                978_307_200_000_000_000L, 978_307_200_000_000_001L));
        assertEquals(978_307_200_000_000_000L, ds.atimeNanos());
        assertEquals(978_307_200_000_000_001L, ds.mtimeNanos());
        assertVfs(VfsError.ISDIR, () -> fs.setattr(ALICE, d,
                new SetAttributes(null, null, null, 0L, null, null)));
        // a symlink's mode is ignored, its owner changes
        Inode l = fs.create(ROOT, root(), "l", FileType.SYMLINK, SetAttributes.NONE, "f");
        Stat ls = fs.setattr(ROOT, l, new SetAttributes(0600, 3000, 3000, null, null, null));
        assertEquals(3000, ls.uid());
        assertEquals(1000, fs.getattr(f).uid(), "the target is untouched");
    }

    @Test
    void listsSmallDirectory() throws Exception {
        Inode r = root();
        file(ROOT, r, "one", 0644);
        dir(ROOT, r, "two", 0755);
        fs.create(ROOT, r, "three", FileType.SYMLINK, SetAttributes.NONE, "one");
        var page = fs.list(ROOT, r, 0, 100);
        assertTrue(page.eof());
        List<String> names = page.entries().stream().map(DirectoryEntry::name).sorted().toList();
        assertEquals(List.of("one", "three", "two"), names);
        for (DirectoryEntry e : page.entries()) {
            assertTrue(e.cookie() > 2);
            assertEquals(fs.lookup(ROOT, r, e.name()), e.inode());
            assertEquals(fs.getattr(e.inode()).fileId(), e.stat().fileId());
        }
        var empty = fs.list(ROOT, dir(ROOT, r, "empty", 0755), 0, 10);
        assertTrue(empty.eof());
        assertTrue(empty.entries().isEmpty());
    }

    @Test
    void fsStatAndSetgidInheritance() throws Exception {
        FsStat s = open().fsStat(root());
        assertTrue(s.totalBytes() > 0 && s.freeBytes() > 0 && s.availableBytes() <= s.freeBytes());
        assertTrue(s.totalFiles() > 0);

        Inode shared = dir(ROOT, root(), "shared", 02777);
        fs.setattr(ROOT, shared, new SetAttributes(null, null, 4242, null, null, null));
        Inode f = file(ALICE, shared, "f", 0644);
        assertEquals(4242, fs.getattr(f).gid(), "group of a setgid directory");
        Inode d = dir(ALICE, shared, "d", 0755);
        assertEquals(4242, fs.getattr(d).gid());
        assertEquals(02755, fs.getattr(d).mode(), "setgid inherited by subdirectories");
    }

    @Test
    void hiddenStoreIsInvisible() throws Exception {
        Files.createDirectory(export.resolve(STORE));
        Files.writeString(export.resolve(STORE).resolve("secret"), "x");
        Inode r = root();
        assertVfs(VfsError.NOENT, () -> fs.lookup(ROOT, r, STORE));
        assertVfs(VfsError.EXIST, () -> file(ROOT, r, STORE, 0644));
        assertVfs(VfsError.NOENT, () -> fs.remove(ROOT, r, STORE));
        file(ROOT, r, "x", 0644);
        assertVfs(VfsError.EXIST, () -> fs.rename(ROOT, r, "x", r, STORE));
        assertVfs(VfsError.NOENT, () -> fs.rename(ROOT, r, STORE, r, "y"));
        assertFalse(fs.list(ROOT, r, 0, 100).entries().stream()
                .anyMatch(e -> e.name().equals(STORE)));
        // the same name deeper down is an ordinary name
        Inode d = dir(ROOT, r, "d", 0755);
        assertEquals(FileType.DIRECTORY, dir(ROOT, d, STORE, 0755).type());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(export.resolve("d").resolve(STORE))));
    }
}
