package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.testclient.AuthSys;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.SnapshotInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fsnapd as a process with a {@code --config} file holding a schedule and a metrics address: the
 * schedule snapshots the matching file at start-up (the current slot of a 1-minute schedule) and
 * not the others, one INFO line names the schedule, the audit log has a line for the scheduled
 * create and one for a client's create over NFS (uid, client address), and {@code /metrics} counts
 * both; after fsnapd stops, the snapshot engine on the export shows the schedule's snapshot.
 */
class SchedulesAuditMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SCHEDULED = Pattern.compile(
            "fsnap\\.audit - op=create file=vm/disk\\.qcow2 snapshot=(minutely-\\d{8}T\\d{4}Z)"
                    + " by=schedule:minutely result=ok ms=\\d+\\.\\d");
    private static final Pattern CLIENT = Pattern.compile(
            "INFO .*fsnap\\.audit - op=create file=notes\\.txt snapshot=by-hand uid=1000 client=127\\.0\\.0\\.1"
                    + " result=ok ms=\\d+\\.\\d");

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void scheduleRunsAndEverySnapshotOperationIsAuditedAndCounted() throws Exception {
        ItEnv.skipUnless(ItEnv.isRoot(), "the snapshot engine (trusted.* identity xattr) needs root");
        Path work = ItEnv.newWorkDir("schedules-audit");
        Path export = Files.createDirectories(work.resolve("export"));
        Files.createDirectories(export.resolve("vm"));
        Files.writeString(export.resolve("vm/disk.qcow2"), "disk image");
        Files.writeString(export.resolve("notes.txt"), "not matched by the schedule");
        for (Path p : List.of(export, export.resolve("vm"))) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.setAttribute(export.resolve("notes.txt"), "unix:uid", 1000);
        int metricsPort = ItEnv.freeLoopbackPort();
        Path config = work.resolve("fsnap.conf");
        Files.writeString(config, """
                [schedule minutely]
                match = *.qcow2
                every = 1m
                keep.last = 3

                [metrics]
                listen = 127.0.0.1:%d
                """.formatted(metricsPort));

        String scheduledName;
        try (FsnapdProcess fsnapd = FsnapdProcess.start("schedules-audit", export, ServerOptions.squashRoot(),
                "--config", config.toString())) {
            Matcher scheduled = awaitLog(fsnapd, SCHEDULED);
            scheduledName = scheduled.group(1);
            String log = thisRun(fsnapd);
            assertTrue(Pattern.compile("INFO .*schedule minutely: files matching \\*\\.qcow2 in \\S+ every 1m,"
                    + " keeping 3 last").matcher(log).find(), log);

            try (Nfs4Client alice = Nfs4Client.connect(new InetSocketAddress("127.0.0.1", fsnapd.port()))) {
                alice.establishSession();
                alice.as(AuthSys.of(1000, 1000)).compound().minorVersion(2).sequence().putrootfh().lookup("notes.txt")
                        .op(OpCode.SETXATTR, w -> w.writeInt(0).writeString("fsnap.create")
                                .writeOpaque("by-hand".getBytes(StandardCharsets.UTF_8)))
                        .send().assertOk();
            }
            awaitLog(fsnapd, CLIENT);

            String metrics = scrape(metricsPort);
            assertTrue(sample(metrics, "fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"}") >= 2, metrics);
            assertTrue(sample(metrics, "fsnap_snapshot_operation_seconds_count{op=\"create\"}") >= 2, metrics);
            assertTrue(sample(metrics, "fsnap_nfs_operations_total{op=\"SETXATTR\",status=\"NFS4_OK\"}") >= 1,
                    metrics);
        }

        try (SnapshotEngine engine = SnapshotEngine.open(SnapshotEngineConfig.builder(export.toRealPath()).build())) {
            List<String> disk = engine.list(export.resolve("vm/disk.qcow2").toRealPath()).stream()
                    .map(SnapshotInfo::name).toList();
            assertTrue(disk.contains(scheduledName) && disk.stream().allMatch(n -> n.startsWith("minutely-")),
                    disk.toString());
            assertEquals(List.of("by-hand"), engine.list(export.resolve("notes.txt").toRealPath()).stream()
                    .map(SnapshotInfo::name).toList(), "the schedule's glob does not match notes.txt");
        }
    }

    /** Waits (bounded) for a line of fsnapd's log matching {@code p}. */
    private static Matcher awaitLog(FsnapdProcess fsnapd, Pattern p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Matcher m = p.matcher(thisRun(fsnapd));
            if (m.find()) {
                return m;
            }
            if (System.nanoTime() > deadline || !fsnapd.isAlive()) {
                throw new AssertionError("no line matching " + p + " in fsnapd's log within " + WAIT.toSeconds()
                        + " s:\n" + fsnapd.recentOutput());
            }
            Thread.sleep(250);
        }
    }

    /** The part of fsnapd's log this start wrote (the file keeps earlier runs' logs above it). */
    private static String thisRun(FsnapdProcess fsnapd) throws Exception {
        String all = Files.readString(fsnapd.logFile());
        return all.substring(Math.max(0, all.lastIndexOf("# ---- fsnapd start")));
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
