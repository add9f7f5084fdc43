package org.fsnap.server.vfs.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A fresh export per test, and shorthands. Tests run as root, as the server does. */
abstract class LocalFsTestSupport {
    static final String STORE = ".fsnap-store";
    static final Caller ROOT = Caller.root();
    static final Caller ALICE = Caller.of(1000, 1000);
    static final Caller BOB = Caller.of(2000, 2000);

    @TempDir
    Path export;

    LocalFileSystem fs;

    LocalFileSystem open() throws IOException {
        if (fs == null) {
            // a shared directory, so tests can act as plain users at the top
            Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
            fs = new LocalFileSystem(export, Set.of(STORE));
        }
        return fs;
    }

    @AfterEach
    void closeFs() {
        if (fs != null) {
            fs.close();
        }
    }

    Inode root() throws IOException {
        return open().root();
    }

    Inode file(Caller c, Inode dir, String name, int mode) throws Exception {
        return open().create(c, dir, name, FileType.REGULAR, SetAttributes.ofMode(mode), null);
    }

    Inode dir(Caller c, Inode dir, String name, int mode) throws Exception {
        return open().create(c, dir, name, FileType.DIRECTORY, SetAttributes.ofMode(mode), null);
    }

    void write(Caller c, Inode f, String text, long offset) throws Exception {
        open().write(c, f, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), offset,
                Stability.UNSTABLE);
    }

    String read(Caller c, Inode f) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        int n = open().read(c, f, b, 0);
        return n < 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    static void assertVfs(VfsError expected, Executable call) {
        VfsException e = assertThrows(VfsException.class, call);
        assertEquals(expected, e.error(), e.getMessage());
    }
}
