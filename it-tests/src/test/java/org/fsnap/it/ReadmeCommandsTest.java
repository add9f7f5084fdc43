package org.fsnap.it;

import static org.fsnap.server.testclient.Nfs4.FILE_SYNC4;
import static org.fsnap.server.testclient.Nfs4.NFS4ERR_GRACE;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_BOTH;
import static org.fsnap.server.testclient.Nfs4.OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fsnap.server.testclient.AuthSys;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpenHow;
import org.fsnap.server.testclient.Stateid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's set-up commands, as written: the code block of "Run the server" runs as one shell
 * script from the repository's root (only the port is changed, when 2049 is taken), must log
 * {@code listening on}, answer a NULL RPC and serve a write and read back of a file of its export
 * (and, where the guest can run, a real Linux client's mount, write and read back);
 * the block of "Run the tests" must be what {@code .ci/run} runs. Any change to the README that
 * breaks its commands fails here.
 */
class ReadmeCommandsTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern LISTEN = Pattern.compile("--listen (\\S+):(\\d+)");
    private static final Pattern EXPORT = Pattern.compile("--export (\\S+)");

    /** The first code block under the README heading {@code ## title}. */
    static String codeBlock(String readme, String title) {
        int section = readme.indexOf("\n## " + title + "\n");
        assertTrue(section >= 0, "README has no section '## " + title + "'");
        int next = readme.indexOf("\n## ", section + 1);
        String body = readme.substring(section, next < 0 ? readme.length() : next);
        int open = body.indexOf("\n```");
        assertTrue(open >= 0, "no code block under '## " + title + "'");
        int start = body.indexOf('\n', open + 1) + 1;
        int end = body.indexOf("\n```", start);
        assertTrue(end > start, "unclosed code block under '## " + title + "'");
        return body.substring(start, end) + "\n";
    }

    private static String readme() throws IOException {
        return Files.readString(ItEnv.repoRoot().resolve("README.md"));
    }

    @Test
    void theTestCommandIsWhatCiRuns() throws Exception {
        String block = codeBlock(readme(), "Run the tests").strip();
        assertEquals("bin/fsnap-test", block, "the README's test command");
        String ci = Files.readString(ItEnv.repoRoot().resolve(".ci/run"));
        assertTrue(ci.lines().anyMatch(l -> !l.strip().startsWith("#") && l.contains("bin/fsnap-test")),
                ".ci/run must run the README's test command, " + block);
        assertTrue(Files.isExecutable(ItEnv.repoRoot().resolve(block)), block + " is not executable");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theServerCommandServesItsExport() throws Exception {
        ItEnv.skipUnless(ItEnv.isRoot(), "the README's server command makes /srv/demo and serves it as root");
        Path jar = ItEnv.repoRoot().resolve("server/target/fsnapd.jar");
        ItEnv.skipUnless(Files.isRegularFile(jar), jar + " is missing (built by `mvn package` of the server module;"
                + " bin/fsnapd would build it, but not from inside a test)");
        String block = codeBlock(readme(), "Run the server");
        Matcher listen = LISTEN.matcher(block);
        assertTrue(listen.find(), "the README's server command has no --listen HOST:PORT:\n" + block);
        Matcher exportFlag = EXPORT.matcher(block);
        assertTrue(exportFlag.find(), "the README's server command has no --export DIR:\n" + block);
        assertTrue(block.contains("bin/fsnapd "), block);
        String host = listen.group(1);
        int port = Integer.parseInt(listen.group(2));
        if (ItEnv.listening(port)) {
            port = ItEnv.freeLoopbackPort();
            block = block.replace(listen.group(), "--listen " + host + ":" + port);
        }
        Path export = Path.of(exportFlag.group(1));

        Path log = ItEnv.logFile("readme-run-the-server");
        System.out.printf("[readme] running, from %s:%n%s", ItEnv.repoRoot(), block.indent(4));
        Process p = new ProcessBuilder("bash", "-euc", block).directory(ItEnv.repoRoot().toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        List<String> lines = new ArrayList<>();
        Object seen = new Object();
        Thread.ofPlatform().daemon().name("readme-fsnapd").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line);
                    synchronized (seen) {
                        lines.add(line);
                        seen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        });
        Path probe = null;
        Path scratch = null;
        try {
            long deadline = System.nanoTime() + START.toNanos();
            synchronized (seen) {
                while (lines.stream().noneMatch(l -> l.contains(FsnapdProcess.LISTENING)) && p.isAlive()
                        && System.nanoTime() < deadline) {
                    seen.wait(200);
                }
            }
            String output;
            synchronized (seen) {
                output = String.join("\n", lines);
            }
            assertTrue(output.contains(FsnapdProcess.LISTENING + " " + host + ":" + port),
                    "the README's command did not log '" + FsnapdProcess.LISTENING + " " + host + ":" + port
                            + "' within " + START.toSeconds() + " s (alive: " + p.isAlive() + "); output:\n" + output);
            assertTrue(Files.isDirectory(export), export + " does not exist after the README's commands");

            probe = export.resolve("readme-check-" + ProcessHandle.current().pid() + ".txt");
            Files.writeString(probe, "from the host\n");
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-rw-rw-"));
            byte[] data = "written over NFS\n".getBytes(StandardCharsets.UTF_8);
            try (Nfs4Client c = Nfs4Client.connect(new InetSocketAddress(host, port))) {
                c.nullCall();
                c.establishSession();
                Nfs4Client user = c.as(AuthSys.of(1000, 1000));
                // /srv/demo keeps the server's state between runs: after a restart OPEN waits out the
                // grace period (NFS4ERR_GRACE, 15 s by default), as a Linux client would.
                long graceDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                CompoundReply r;
                while (true) {
                    r = user.compound().sequence().putrootfh()
                            .open(probe.getFileName().toString(), OPEN4_SHARE_ACCESS_BOTH, 0, user.clientId(),
                                    user.ownerId(), OpenHow.noCreate())
                            .write(Stateid.CURRENT, 0, FILE_SYNC4, data)
                            .read(Stateid.CURRENT, 0, 100)
                            .close(Stateid.CURRENT).send();
                    if (r.status() != NFS4ERR_GRACE || System.nanoTime() > graceDeadline) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                r.assertOk();
                assertEquals("written over NFS\n",
                        new String(r.find(OP_READ).read().data(), StandardCharsets.UTF_8).substring(0, data.length));
            }
            assertTrue(Files.readString(probe).startsWith("written over NFS\n"), "the host sees the write");

            // The real Linux client, when the guest can run here: mount, write, read back through a fresh
            // mount. Root is squashed (the README's default), so in a directory anyone may write to.
            if (GuestVm.unavailableReason().isEmpty()) {
                scratch = Files.createDirectories(export.resolve("readme-check-" + ProcessHandle.current().pid()));
                Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
                GuestVm.Result r = new GuestVm("readme-run-the-server").port(port).timeout(Duration.ofMinutes(3))
                        .run(GuestVm.script("quick.sh"), "4.2", "/" + scratch.getFileName());
                r.assertPassed();
            } else {
                System.out.println("[readme] no Linux client guest (" + GuestVm.unavailableReason().get()
                        + "): checked with the protocol test client only");
            }
        } finally {
            stop(p);
            if (probe != null) {
                Files.deleteIfExists(probe);
            }
            if (scratch != null) {
                ItEnv.deleteTree(scratch);
            }
        }
        assertFalse(p.isAlive());
    }

    /** SIGTERM to the shell and everything it started, then SIGKILL after 20 s. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
