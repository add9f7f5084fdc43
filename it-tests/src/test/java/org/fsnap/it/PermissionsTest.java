package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2, must-show: a non-root user in the guest is denied (EACCES) a file of mode 0600 owned by
 * another uid and allowed their own; plus group/other bits, directories, a sticky directory and
 * root squashing (the server runs with its default, squashing root). Fixtures are made on the host
 * before the server starts. Guest side: src/test/resources/guest/perms.sh.
 */
class PermissionsTest {

    @ParameterizedTest(name = "{0} vers={1}")
    @MethodSource("org.fsnap.it.ServerKind#withVersions")
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void nonRootUserIsCheckedAgainstModeBits(ServerKind kind, String vers) throws Exception {
        GuestVm.assumeAvailable();
        kind.assumeAvailable();
        ItEnv.skipUnless(ItEnv.isRoot(), "the fixtures of this test need chown: run the tests as root");
        String name = "perms-" + kind + "-" + vers;
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        HostFiles.dir(export, 0, 0, 0755);
        Path perm = HostFiles.dir(export.resolve("perm"), 0, 0, 0755);
        HostFiles.file(perm.resolve("other-0600"), "secret\n", 1001, 1001, 0600);
        HostFiles.file(perm.resolve("mine-0600"), "mine\n", 1000, 1000, 0600);
        HostFiles.file(perm.resolve("group-0640"), "group\n", 1001, 1000, 0640);
        HostFiles.dir(perm.resolve("home1000"), 1000, 1000, 0755);
        HostFiles.dir(perm.resolve("home1001"), 1001, 1001, 0700);
        Path pub = HostFiles.dir(export.resolve("pub"), 0, 0, 01777);
        HostFiles.file(pub.resolve("f1001"), "shared\n", 1001, 1001, 0666);

        GuestVm.Result r;
        try (NfsServer server = kind.start(name, export, ServerOptions.squashRoot())) {
            r = new GuestVm(name).port(server.port()).timeout(Duration.ofMinutes(4))
                    .run(GuestVm.script("perms.sh"), vers, server.mountPath());
        }
        r.assertPassed();

        assertEquals("secret\n", Files.readString(perm.resolve("other-0600")), "the denied file is untouched");
        HostFiles.assertOwnerMode(perm.resolve("other-0600"), 0600, 1001, 1001);
        assertEquals("mine\nmore\n", Files.readString(perm.resolve("mine-0600")));
        assertEquals("1000:1000", HostFiles.uid(perm.resolve("home1000/new")) + ":"
                + HostFiles.gid(perm.resolve("home1000/new")), "owner of a file uid 1000 created");
        assertFalse(Files.exists(perm.resolve("new-by-1000")));
        assertFalse(Files.exists(pub.resolve("f1001")), "uid 1001 removed its own file");
        ItEnv.deleteTree(work);
    }
}
