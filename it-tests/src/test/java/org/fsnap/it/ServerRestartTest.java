package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2, must-show: file handles survive a server restart. The guest holds a working directory
 * and two open files on the mount, the host restarts the server (same port, same export), and the
 * guest carries on with them: no ESTALE, no lost write, no complaint from the client kernel.
 * Guest side: src/test/resources/guest/restart.sh.
 */
class ServerRestartTest {

    @ParameterizedTest(name = "{0} vers={1}")
    @MethodSource("org.fsnap.it.ServerKind#withVersions")
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void clientCarriesOnAcrossServerRestart(ServerKind kind, String vers) throws Exception {
        GuestVm.assumeAvailable();
        kind.assumeAvailable();
        String name = "restart-" + kind + "-" + vers;
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        Path share = Files.createDirectories(work.resolve("share"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));

        GuestVm.Result r;
        try (NfsServer server = kind.startForRestart(name, export, ServerOptions.rootIsRoot());
             GuestVm.Running guest = new GuestVm(name).port(server.port()).share(share)
                     .timeout(Duration.ofMinutes(8)).start(GuestVm.script("restart.sh"), vers, server.mountPath())) {
            guest.awaitLine("READY-FOR-RESTART"::equals, Duration.ofMinutes(4));
            long t0 = System.nanoTime();
            server.restart();
            System.out.printf("[%s] server restarted in %.1fs%n", name, (System.nanoTime() - t0) / 1e9);
            Files.writeString(share.resolve("restarted"), "yes\n");
            r = guest.await();
        }
        r.assertPassed();

        Path dir = export.resolve("restart");
        assertEquals("before\nafter\n", Files.readString(dir.resolve("log")), "restart/log on the server's disk");
        assertEquals("new\n", Files.readString(dir.resolve("new-after")), "restart/new-after on the server's disk");
        assertEquals(1 << 20, Files.size(dir.resolve("data")));
        ItEnv.deleteTree(work);
    }
}
