package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/fsnapd, the launcher users run: it finds a JDK 25 by itself, serves a guest, and answers bad
 * flags, an unusable export directory and a port in use with one message and exit status 2.
 * (Uses server/target/fsnapd.jar, which `mvn install` builds before these tests run.)
 */
class LauncherTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private static Path launcher() {
        return ItEnv.repoRoot().resolve("bin/fsnapd");
    }

    private static void assumeJar() {
        Path jar = ItEnv.repoRoot().resolve("server/target/fsnapd.jar");
        ItEnv.skipUnless(Files.isRegularFile(jar), jar + " is missing (it is built by `mvn package` of the server"
                + " module; bin/fsnapd would build it, but not from inside a test)");
    }

    private static Exec fsnapd(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        Exec e = Exec.run(cmd, Map.of(), ItEnv.targetDir(), LIMIT);
        System.out.printf("[launcher] bin/fsnapd %s -> exit %d%n%s%n", String.join(" ", args), e.exitCode(),
                e.output().indent(4));
        return e;
    }

    /** Exit status 2, a message, and no Java stack trace. */
    private static void assertCleanFailure(Exec e, String mustMention) {
        assertEquals(2, e.exitCode(), "exit status; output:\n" + e.output());
        assertFalse(e.output().isBlank(), "no message at all");
        assertFalse(e.output().contains("\tat ") || e.output().contains("Exception in thread"),
                "a stack trace instead of one clear message:\n" + e.output());
        if (mustMention != null) {
            assertTrue(e.output().contains(mustMention), "the message should mention '" + mustMention + "':\n"
                    + e.output());
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void unknownFlagIsExitStatus2() {
        assumeJar();
        assertCleanFailure(fsnapd("--no-such-flag"), "--no-such-flag");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void missingExportDirectoryIsExitStatus2() {
        assumeJar();
        Path missing = ItEnv.targetDir().resolve("no-such-export-dir");
        assertCleanFailure(fsnapd("--export", missing.toString(), "--listen",
                "127.0.0.1:" + ItEnv.freeLoopbackPort()), missing.toString());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void exportThatIsAFileIsExitStatus2() throws Exception {
        assumeJar();
        Path file = ItEnv.newWorkDir("launcher-file").resolve("a-file");
        Files.writeString(file, "not a directory\n");
        assertCleanFailure(fsnapd("--export", file.toString(), "--listen", "127.0.0.1:" + ItEnv.freeLoopbackPort()),
                null);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void portInUseIsExitStatus2() throws Exception {
        assumeJar();
        Path export = Files.createDirectories(ItEnv.newWorkDir("launcher-port").resolve("export"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertCleanFailure(fsnapd("--export", export.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort()),
                    null);
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void noJdk25IsExitStatus2WithAMessage() {
        // No JDK where the launcher looks: it must say so rather than run the default java.
        Exec e = Exec.run(List.of(launcher().toString(), "--export", "/tmp"),
                Map.of("JAVA_HOME", "/nonexistent-jdk", "FSNAP_JDK_GLOB", "/nonexistent-jvm-dir/temurin-25*"),
                ItEnv.targetDir(), LIMIT);
        assertEquals(2, e.exitCode(), e.output());
        assertTrue(e.output().contains("no JDK 25"), e.output());
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void findsAJdk25WhenJavaHomeIsOlder() {
        Path lib = ItEnv.repoRoot().resolve("bin/lib/find-jdk.sh");
        Exec e = Exec.run(List.of("bash", "-c", ". '" + lib + "' && fsnap_find_jdk && echo \"FOUND=$JAVA_HOME\""
                + " && \"$JAVA_HOME/bin/java\" -version"), Map.of("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"),
                ItEnv.targetDir(), LIMIT);
        if (e.exitCode() != 0 && e.output().contains("no JDK 25")) {
            ItEnv.skip("no JDK 25 in /usr/lib/jvm/temurin-25* on this machine (the tests run on "
                    + System.getProperty("java.home") + ")");
        }
        assertEquals(0, e.exitCode(), e.output());
        assertTrue(e.output().contains("FOUND=/usr/lib/jvm/temurin-25"), e.output());
        assertTrue(e.output().matches("(?s).*version \"(2[5-9]|[3-9][0-9]).*"), e.output());
    }

    /** The launcher serves a real client: mount, write, read back through a fresh mount. */
    @ParameterizedTest(name = "vers={0}")
    @ValueSource(strings = {"4.1", "4.2"})
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void servesTheLinuxClient(String vers) throws Exception {
        GuestVm.assumeAvailable();
        assumeJar();
        String name = "launcher-" + vers;
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        GuestVm.Result r;
        try (FsnapdProcess server = FsnapdProcess.startViaLauncher(name, export, ServerOptions.rootIsRoot())) {
            String log = Files.readString(server.logFile());
            assertTrue(log.contains("listening on 127.0.0.1:" + server.port()),
                    "fsnapd should log 'listening on 127.0.0.1:" + server.port() + "'; log:\n" + log);
            r = new GuestVm(name).port(server.port()).timeout(Duration.ofMinutes(3))
                    .run(GuestVm.script("quick.sh"), vers, server.mountPath());
        }
        r.assertPassed();
        ItEnv.deleteTree(work);
    }
}
