package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2, must-show: two clients (two guests, two NFSv4 client identities) write different files
 * into one directory at the same time, and each then reads both back correctly.
 * Guest side: src/test/resources/guest/two-clients.sh.
 */
class TwoClientsTest {

    private static final int SIZE_MIB = 32;

    @ParameterizedTest(name = "{0} vers={1}")
    @MethodSource("org.fsnap.it.ServerKind#withVersions")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void twoClientsWriteDifferentFilesAtOnce(ServerKind kind, String vers) throws Exception {
        GuestVm.assumeAvailable();
        kind.assumeAvailable();
        String name = "two-" + kind + "-" + vers;
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        Path share = Files.createDirectories(work.resolve("share"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));

        GuestVm.Result a;
        GuestVm.Result b;
        try (NfsServer server = kind.start(name, export, ServerOptions.rootIsRoot())) {
            Path script = GuestVm.script("two-clients.sh");
            GuestVm vmA = new GuestVm(name + "-A").port(server.port()).share(share).memoryMiB(768)
                    .timeout(Duration.ofMinutes(5));
            GuestVm vmB = new GuestVm(name + "-B").port(server.port()).share(share).memoryMiB(768)
                    .timeout(Duration.ofMinutes(5));
            try (GuestVm.Running ra = vmA.start(script, "A", "B", vers, server.mountPath(), "" + SIZE_MIB);
                 GuestVm.Running rb = vmB.start(script, "B", "A", vers, server.mountPath(), "" + SIZE_MIB)) {
                a = ra.await();
                b = rb.await();
            }
        }
        a.assertPassed();
        b.assertPassed();

        long[] wa = window(a, "A");
        long[] wb = window(b, "B");
        System.out.printf("write windows: A %.2fs, B %.2fs, overlapping %.2fs%n", (wa[1] - wa[0]) / 1e9,
                (wb[1] - wb[0]) / 1e9, (Math.min(wa[1], wb[1]) - Math.max(wa[0], wb[0])) / 1e9);
        assertTrue(wa[0] < wb[1] && wb[0] < wa[1], "the two clients' writes did not overlap in time");

        Path two = export.resolve("two");
        for (var e : List.of(List.of("A", a), List.of("B", b))) {
            String id = (String) e.get(0);
            GuestVm.Result r = (GuestVm.Result) e.get(1);
            String sha = r.keyed("SHA256", "two/big-" + id).orElseThrow().get(1);
            assertEquals((long) SIZE_MIB << 20, Files.size(two.resolve("big-" + id)), "size of big-" + id);
            assertEquals(sha, HostFiles.sha256(two.resolve("big-" + id)), "sha256 of big-" + id + " on disk");
        }
        try (Stream<Path> s = Files.list(two)) {
            assertEquals(402, s.count(), "files in two/ on the server's disk");
        }
        ItEnv.deleteTree(work);
    }

    private static long[] window(GuestVm.Result r, String id) {
        List<String> w = r.keyed("WINDOW", id).orElseThrow(() -> new AssertionError("no WINDOW line from " + id));
        return new long[] {Long.parseLong(w.get(1)), Long.parseLong(w.get(2))};
    }
}
