package org.fsnap.server.vfs.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real local export on a temporary directory with the snapshot stack on top, as fsnapd
 * builds it. Tests run as root, as the server does, and act as plain users through callers.
 */
public abstract class SnapshotStackSupport {
    public static final Caller ROOT = Caller.root();
    public static final Caller ALICE = Caller.of(1000, 1000);
    public static final Caller BOB = Caller.of(2000, 2000);

    @TempDir
    public Path export;

    public LocalFileSystem local;
    public SnapshotStack fs;

    protected int maxSnapshots() {
        return 0;
    }

    @BeforeEach
    void openStack() throws Exception {
        Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
        local = new LocalFileSystem(export, Set.of(".fsnap-state", ".fsnap-store"));
        fs = SnapshotStack.build(export, local, maxSnapshots());
    }

    @AfterEach
    void closeStack() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (local != null) {
            local.close();
        }
    }

    public Inode root() throws VfsException {
        return fs.root();
    }

    /** A regular file with content, owned by {@code owner}, mode {@code mode}. */
    public Inode file(Inode dir, String name, String content, Caller owner, int mode) throws Exception {
        Inode f = fs.create(ROOT, dir, name, FileType.REGULAR, SetAttributes.ofMode(mode), null);
        write(ROOT, f, content, 0);
        fs.setattr(ROOT, f, new SetAttributes(null, owner.uid(), owner.gid(), null, null, null));
        return f;
    }

    public Inode dir(Inode parent, String name) throws Exception {
        return fs.create(ROOT, parent, name, FileType.DIRECTORY, SetAttributes.ofMode(0777), null);
    }

    public void write(Caller c, Inode f, String text, long offset) throws Exception {
        fs.write(c, f, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), offset, Stability.FILE_SYNC);
    }

    public String read(Caller c, Inode f) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        int n = fs.read(c, f, b, 0);
        return n < 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    public void control(Caller c, Inode f, String command, String value) throws VfsException {
        fs.setXattr(c, f, command, value.getBytes(StandardCharsets.UTF_8), XattrSetMode.EITHER);
    }

    public String query(Caller c, Inode f, String query) throws VfsException {
        return new String(fs.getXattr(c, f, query), StandardCharsets.UTF_8);
    }

    public List<String> names(Caller c, Inode dir) throws VfsException {
        List<String> out = new ArrayList<>();
        long cookie = 0;
        for (int i = 0; i < 1000; i++) {
            DirectoryPage p = fs.list(c, dir, cookie, 2); // small pages: cookies get exercised
            for (DirectoryEntry e : p.entries()) {
                out.add(e.name());
                cookie = e.cookie();
            }
            if (p.eof()) {
                return out;
            }
        }
        throw new AssertionError("listing did not end");
    }

    public static void assertVfs(VfsError expected, Executable call) {
        VfsException e = assertThrows(VfsException.class, call);
        assertEquals(expected, e.error(), e.getMessage());
    }
}
