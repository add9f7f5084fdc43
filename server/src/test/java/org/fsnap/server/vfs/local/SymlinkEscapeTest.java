package org.fsnap.server.vfs.local;

import java.nio.file.Files;
import java.nio.file.Path;

import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.XattrSetMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Symlinks inside the export never lead the server outside it. */
class SymlinkEscapeTest extends LocalFsTestSupport {

    @Test
    void symlinkToSlashIsOnlyASymlink() throws Exception {
        Files.createSymbolicLink(export.resolve("escape"), Path.of("/"));
        Files.createSymbolicLink(export.resolve("etc"), Path.of("/etc"));
        Inode r = root();
        Inode l = fs.lookup(ROOT, r, "escape");
        assertEquals(FileType.SYMLINK, l.type());
        assertEquals(FileType.SYMLINK, fs.getattr(l).type());
        assertEquals("/", fs.readlink(ROOT, l));
        // used as a directory it is refused, never followed
        assertVfs(VfsError.SYMLINK, () -> fs.lookup(ROOT, l, "etc"));
        assertVfs(VfsError.SYMLINK, () -> fs.list(ROOT, l, 0, 10));
        assertVfs(VfsError.SYMLINK, () -> fs.create(ROOT, l, "planted", FileType.REGULAR,
                SetAttributes.NONE, null));
        assertVfs(VfsError.SYMLINK, () -> fs.remove(ROOT, l, "passwd"));
        assertVfs(VfsError.SYMLINK, () -> fs.rename(ROOT, r, "etc", l, "x"));
        assertVfs(VfsError.SYMLINK, () -> fs.parentOf(ROOT, l));
        assertFalse(Files.exists(Path.of("/planted")));
        // reading or writing through it is refused too
        Inode etc = fs.lookup(ROOT, r, "etc");
        assertVfs(VfsError.SYMLINK, () -> read(ROOT, etc));
        assertVfs(VfsError.SYMLINK, () -> write(ROOT, etc, "x", 0));
        // attribute changes apply to the link itself
        fs.setattr(ROOT, etc, new SetAttributes(0600, 1234, null, null, null, null));
        assertEquals(0, Files.getAttribute(Path.of("/etc"), "unix:uid"));
        assertVfs(VfsError.PERM, () -> fs.setXattr(ROOT, etc, "k", new byte[1],
                XattrSetMode.EITHER));
        assertVfs(VfsError.NOXATTR, () -> fs.getXattr(ROOT, etc, "k"));
        assertFalse(fs.xattrSupported(etc));
        // listing shows links as links
        assertTrue(fs.list(ROOT, r, 0, 10).entries().stream()
                .allMatch(e -> e.stat().type() == FileType.SYMLINK));
        // removing the link removes the link
        fs.remove(ROOT, r, "escape");
        assertTrue(Files.isDirectory(Path.of("/etc")));
    }

    @Test
    void parentNeverLeavesTheExport() throws Exception {
        Inode a = dir(ROOT, root(), "a", 0755);
        assertEquals(root(), fs.parentOf(ROOT, a));
        assertVfs(VfsError.NOENT, () -> fs.parentOf(ROOT, root()));
        assertVfs(VfsError.BADNAME, () -> fs.lookup(ROOT, root(), ".."));
    }

    @Test
    void intermediateSymlinkSwappedForADirectoryIsHarmless() throws Exception {
        // a handle keeps naming its object even if a path component becomes a symlink outside
        Inode d = dir(ROOT, root(), "d", 0755);
        Inode f = file(ROOT, d, "f", 0644);
        Files.move(export.resolve("d"), export.resolve("d-real"));
        Files.createSymbolicLink(export.resolve("d"), Path.of("/etc"));
        file(ROOT, d, "new", 0644);
        assertTrue(Files.exists(export.resolve("d-real/new")));
        assertFalse(Files.exists(Path.of("/etc/new")));
        assertEquals(f, fs.lookup(ROOT, d, "f"));
    }
}
