package org.fsnap.server.vfs.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlePersistenceTest extends LocalFsTestSupport {

    @Test
    void handlesSurviveRestartAndRename() throws Exception {
        Inode d = dir(ROOT, root(), "d", 0755);
        Inode f = file(ROOT, d, "f", 0644);
        write(ROOT, f, "persistent", 0);
        byte[] fh = f.handle();
        byte[] dh = d.handle();
        byte[] rootHandle = root().handle();
        assertTrue(fh.length <= Inode.MAX_HANDLE_SIZE);
        assertEquals(HandleCodec.VERSION, fh[0]);
        assertEquals(HandleCodec.KIND_LIVE, fh[1]);
        fs.close();

        // rename behind the server's back, then "restart"
        Files.move(export.resolve("d/f"), export.resolve("moved"));
        Files.move(export.resolve("d"), export.resolve("d2"));
        fs = new LocalFileSystem(export, Set.of(STORE));
        assertEquals(rootHandle.length, fs.root().handle().length);
        assertEquals(fs.root(), fs.inodeOf(rootHandle), "root handle is stable");
        Inode again = fs.inodeOf(fh);
        assertEquals(FileType.REGULAR, again.type());
        assertEquals("persistent", read(ROOT, again));
        assertEquals(again, fs.lookup(ROOT, fs.root(), "moved"));
        Inode dirAgain = fs.inodeOf(dh);
        assertEquals(dirAgain, fs.lookup(ROOT, fs.root(), "d2"));
        assertEquals(fs.root(), fs.parentOf(ROOT, dirAgain));
    }

    @Test
    void deletedObjectsAreStale() throws Exception {
        Inode f = file(ROOT, root(), "f", 0644);
        Inode d = dir(ROOT, root(), "d", 0755);
        byte[] fh = f.handle();
        byte[] dh = d.handle();
        fs.remove(ROOT, root(), "f");
        fs.remove(ROOT, root(), "d");
        assertVfs(VfsError.STALE, () -> fs.inodeOf(fh));
        assertVfs(VfsError.STALE, () -> fs.getattr(f));
        assertVfs(VfsError.STALE, () -> fs.inodeOf(dh));
        // deleted behind our back, with the descriptor still cached
        Inode g = file(ROOT, root(), "g", 0644);
        Files.delete(export.resolve("g"));
        assertVfs(VfsError.STALE, () -> fs.getattr(g));
        // and after a restart, when the kernel has to decode the handle
        Inode h = file(ROOT, root(), "h", 0644);
        byte[] hh = h.handle();
        fs.dropCaches();
        Files.delete(export.resolve("h"));
        assertVfs(VfsError.STALE, () -> fs.inodeOf(hh));
    }

    @Test
    void recreatedNameIsANewObject() throws Exception {
        Inode f = file(ROOT, root(), "f", 0644);
        fs.remove(ROOT, root(), "f");
        Inode f2 = file(ROOT, root(), "f", 0644);
        assertTrue(!f.equals(f2), "inode numbers may be reused; generations differ");
        assertVfs(VfsError.STALE, () -> fs.getattr(f));
    }

    @Test
    void forgedAndForeignHandlesAreRefused(@TempDir Path otherExport) throws Exception {
        Inode f = file(ROOT, root(), "f", 0644);
        byte[] h = f.handle();
        byte[] flipped = h.clone();
        flipped[12] ^= 1; // a kernel handle byte: MAC no longer matches
        assertVfs(VfsError.BADHANDLE, () -> fs.inodeOf(flipped));
        byte[] version = h.clone();
        version[0] = 9;
        assertVfs(VfsError.BADHANDLE, () -> fs.inodeOf(version));
        byte[] kind = h.clone();
        kind[1] = 3;
        assertVfs(VfsError.BADHANDLE, () -> fs.inodeOf(kind));
        assertVfs(VfsError.BADHANDLE, () -> fs.inodeOf(new byte[] {1, 0, 3}));
        assertVfs(VfsError.BADHANDLE, () -> fs.inodeOf(new byte[0]));
        try (LocalFileSystem other = new LocalFileSystem(otherExport, Set.of())) {
            // same filesystem, different export: its key differs, so our handles are foreign
            assertVfs(VfsError.STALE, () -> other.inodeOf(h));
            assertVfs(VfsError.STALE, () -> fs.inodeOf(other.root().handle()));
        }
    }

    @Test
    void objectsMovedOutOfTheExportOrIntoTheStoreAreStale(@TempDir Path outside)
            throws Exception {
        Files.createDirectory(export.resolve(STORE));
        Inode d = dir(ROOT, root(), "d", 0755);
        Inode d2 = dir(ROOT, root(), "d2", 0755);
        byte[] dh = d.handle();
        byte[] d2h = d2.handle();
        fs.dropCaches();
        Files.move(export.resolve("d"), outside.resolve("d")); // same filesystem: a rename
        Files.move(export.resolve("d2"), export.resolve(STORE).resolve("d2"));
        assertVfs(VfsError.STALE, () -> fs.inodeOf(dh));
        assertVfs(VfsError.STALE, () -> fs.inodeOf(d2h));
    }

    @Test
    void handleOfASymlinkIsTheSymlink() throws Exception {
        Inode l = open().create(ROOT, root(), "l", FileType.SYMLINK, SetAttributes.NONE, "/etc");
        byte[] lh = l.handle();
        fs.dropCaches();
        Inode again = fs.inodeOf(lh);
        assertEquals(FileType.SYMLINK, again.type());
        assertEquals("/etc", fs.readlink(ROOT, again));
    }

    @Test
    void pathOfFollowsRenames() throws Exception {
        Inode d = dir(ROOT, root(), "d", 0755);
        Inode f = file(ROOT, d, "f", 0644);
        assertEquals(export.toRealPath().resolve("d/f"), fs.pathOf(f).orElseThrow());
        fs.rename(ROOT, d, "f", root(), "g");
        assertEquals(export.toRealPath().resolve("g"), fs.pathOf(f).orElseThrow());
        assertEquals(export.toRealPath(), fs.pathOf(root()).orElseThrow());
    }

    @Test
    void filesystemsWithoutHandlesAreRefusedAtStart() {
        // procfs has no export operations: persistent handles are impossible there
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> new LocalFileSystem(Path.of("/proc/sys"), Set.of()));
        assertTrue(e.getMessage().contains("cannot give file handles"), e.getMessage());
    }
}
