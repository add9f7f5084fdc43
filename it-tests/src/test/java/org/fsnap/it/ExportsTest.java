package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6, must-show: fsnapd started with {@code --exports FILE} and the real Linux client, in one guest
 * boot (guest side: src/test/resources/guest/exports.sh). The guest reaches fsnapd through qemu's user
 * network, so fsnapd sees it as 127.0.0.1 from unprivileged source ports (checked here in fsnapd's log):
 * an export for 127.0.0.2 and 192.0.2.0/24 only refuses it ("access denied by server"); a {@code secure}
 * export (the default) refuses it for its ports; {@code ro} gives EROFS (snapshot control: EACCES, the
 * Linux client refuses it itself, see exports.sh); root_squash maps root to 65534,
 * no_root_squash keeps 0; all_squash with anonuid/anongid maps uid 1000 to 1234:1234; the pseudo-root
 * lists the way to the exports and each export is its own mount; writes land in the right directory.
 */
class ExportsTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void exportsFileRulesWithTheLinuxClient() throws Exception {
        GuestVm.assumeAvailable();
        ItEnv.skipUnless(ItEnv.isRoot(), "the fixtures of this test need chown: run the tests as root");
        Path work = ItEnv.newWorkDir("exports");
        HostFiles.dir(work, 0, 0, 0755);
        Path rw = dir(work.resolve("srv/rw"));
        Path ro = dir(work.resolve("srv/ro"));
        Path denied = dir(work.resolve("srv/denied"));
        Path secure = dir(work.resolve("srv/secure"));
        Path squash = dir(work.resolve("data/squash"));
        Path all = dir(work.resolve("data/all"));
        HostFiles.file(ro.resolve("f"), "read only\n", 0, 0, 0666);
        Files.setLastModifiedTime(ro.resolve("f"), FileTime.fromMillis(1_000_000_000_000L));
        Path exports = Files.writeString(work.resolve("exports"), String.join("\n",
                "# written by ExportsTest",
                rw + " 127.0.0.1(rw,insecure,no_root_squash)",
                ro + " 127.0.0.1(ro,insecure,no_root_squash)",
                denied + " 127.0.0.2(rw,insecure) 192.0.2.0/24(rw,insecure)",
                secure + " 127.0.0.1(rw)",
                squash + " 127.0.0.1(rw,insecure)",
                all + " 127.0.0.1(rw,insecure,all_squash,anonuid=1234,anongid=1234)",
                ""));

        GuestVm.Result r;
        String log;
        try (FsnapdProcess server = FsnapdProcess.startWithExportsFile("exports", exports)) {
            r = new GuestVm("exports").port(server.port()).timeout(Duration.ofMinutes(4))
                    .run(GuestVm.script("exports.sh"), "4.2", work.toString());
            log = Files.readString(server.logFile());
        }
        r.assertPassed();

        // one line per export at start, with its rules
        assertTrue(log.contains("export " + ro + " (" + exports + ":3): 127.0.0.1(ro,no_root_squash,"
                + "anonuid=65534,anongid=65534,insecure,sec=sys)"), "start-up line of the ro export");
        // fsnapd saw the guest as 127.0.0.1 from an unprivileged port, and said why it refused
        assertTrue(log.contains("refused client 127.0.0.1: it may not mount " + denied), "refusal logged");
        assertTrue(log.contains("refused client 127.0.0.1 on " + secure + ": its requests come from port "),
                "the secure refusal names the port");
        assertTrue(log.contains("add 'insecure'"), "the secure refusal says how to allow it");
        assertFalse(log.contains("\tat org.fsnap"), "no stack trace in the log");

        assertEquals("0:0", owner(rw.resolve("by-root")), "root on no_root_squash");
        assertEquals("65534:65534", owner(squash.resolve("by-root")), "root on root_squash");
        assertEquals("1234:1234", owner(all.resolve("by-1000")), "uid 1000 on all_squash,anonuid=1234");
        assertEquals("1000:1000", owner(squash.resolve("by-1000")), "uid 1000 on root_squash");
        assertEquals("via-root\n", Files.readString(rw.resolve("via-pseudo-root")));
        assertEquals("direct\n", Files.readString(rw.resolve("direct")));
        assertEquals("read only\n", Files.readString(ro.resolve("f")));
        assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(ro.resolve("f")),
                "touch on the ro export changed nothing");
        assertEquals(List.of("f"), visible(ro), "nothing created on the ro export");
        assertEquals(List.of(), visible(denied));
        assertEquals(List.of(), visible(secure));
        ItEnv.deleteTree(work);
    }

    private static Path dir(Path p) {
        try {
            Files.createDirectories(p.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HostFiles.dir(p, 0, 0, 0777);
    }

    private static String owner(Path p) {
        return HostFiles.uid(p) + ":" + HostFiles.gid(p);
    }

    /** The names in an export directory, without fsnapd's own. */
    private static List<String> visible(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".fsnap-")).sorted().toList();
        }
    }
}
