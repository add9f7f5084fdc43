package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2, must-show: the Linux kernel client mounts the server; a 64 MiB file is written, read back
 * through a fresh mount and checksummed; {@code ls -la} shows the right sizes, modes and owners;
 * mkdir, rename across directories, hard link, symlink + readlink, chmod, truncate, append,
 * setting times ({@code touch}, {@code touch -a/-m/-d}, {@code cp -p}, {@code tar x}) and
 * {@code rm -rf} of a 1,000-file tree work. Then the host checks what the server stored on disk.
 * Guest side: src/test/resources/guest/mount-rw.sh.
 */
class MountReadWriteTest {

    @ParameterizedTest(name = "{0} vers={1}")
    @MethodSource("org.fsnap.it.ServerKind#withVersions")
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void mountWriteReadAndNamespaceOperations(ServerKind kind, String vers) throws Exception {
        GuestVm.assumeAvailable();
        kind.assumeAvailable();
        String name = "rw-" + kind + "-" + vers;
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));

        GuestVm.Result r;
        try (NfsServer server = kind.start(name, export, ServerOptions.rootIsRoot())) {
            r = new GuestVm(name).port(server.port()).timeout(Duration.ofMinutes(6))
                    .run(GuestVm.script("mount-rw.sh"), vers, server.mountPath());
        }
        r.assertPassed();

        // What the server stored, seen from the host.
        Path rw = export.resolve("rw");
        String sha = r.keyed("SHA256", "rw/big").orElseThrow(() -> new AssertionError("no SHA256 line")).get(1);
        assertEquals(64L << 20, Files.size(rw.resolve("big")), "size of rw/big on the server's disk");
        assertEquals(sha, HostFiles.sha256(rw.resolve("big")), "sha256 of rw/big on the server's disk");
        HostFiles.assertOwnerMode(rw.resolve("ls/a"), 0640, 1000, 1000);
        HostFiles.assertOwnerMode(rw.resolve("ls/b"), 0600, 0, 0);
        HostFiles.assertOwnerMode(rw.resolve("ls/c"), 0755, 1001, 1001);
        HostFiles.assertOwnerMode(rw.resolve("ls/sub"), 0750, 0, 0);
        assertEquals(6, Files.size(rw.resolve("ls/a")));
        assertEquals(100000, Files.size(rw.resolve("ls/c")));
        assertEquals("one\ntwo\n", Files.readString(rw.resolve("ops/b/g")));
        assertEquals(1, HostFiles.nlink(rw.resolve("ops/b/g")), "link count of ops/b/g");
        assertFalse(Files.exists(rw.resolve("ops/a/f")), "ops/a/f was renamed away");
        assertFalse(Files.exists(rw.resolve("ops/a/hard")), "ops/a/hard was removed");
        assertEquals("inner\n", Files.readString(rw.resolve("ops/b/dir2/inner")));
        assertEquals("new\n", Files.readString(rw.resolve("ops/b/over")));
        assertTrue(Files.isSymbolicLink(rw.resolve("ops/a/sym")), "ops/a/sym is a symlink");
        assertEquals("../b/g", Files.readSymbolicLink(rw.resolve("ops/a/sym")).toString());
        assertEquals("/no/such/target", Files.readSymbolicLink(rw.resolve("ops/a/dangling")).toString());
        assertEquals(0704, HostFiles.mode(rw.resolve("ops/a/m")));
        assertEquals(5000, Files.size(rw.resolve("ops/a/t")));
        assertEquals("line1\nline2\nline3\n", Files.readString(rw.resolve("ops/a/ap")));
        assertEquals(1_234_567_890_123_456_789L,
                Files.getLastModifiedTime(rw.resolve("ops/a/cpp")).to(TimeUnit.NANOSECONDS),
                "mtime of ops/a/cpp (cp -p) on the server's disk");
        if (Files.exists(rw.resolve("ops/a/tx/d/f"))) {
            assertEquals(1_234_567_890L,
                    Files.getLastModifiedTime(rw.resolve("ops/a/tx/d/f")).to(TimeUnit.SECONDS),
                    "mtime of ops/a/tx/d/f (tar x) on the server's disk");
        }
        assertFalse(Files.exists(rw.resolve("tree")), "the 1,000-file tree was removed");

        ItEnv.deleteTree(work);
    }
}
