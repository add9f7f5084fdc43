package org.fsnap.server.ops.xattr;

import static org.fsnap.server.testclient.Nfs4.NFS4ERR_ACCESS;
import static org.fsnap.server.testclient.Nfs4.NFS4_OK;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_BOTH;
import static org.fsnap.server.testclient.Nfs4.OP_GETFH;
import static org.fsnap.server.testclient.Nfs4.OP_OPENATTR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fsnap.config.ListenAddress;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.metrics.MetricsHttpServer;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.schedule.SnapshotRecorder;
import org.fsnap.server.testclient.AuthSys;
import org.fsnap.server.testclient.CompoundBuilder;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpenHow;
import org.fsnap.server.testclient.Stateid;
import org.fsnap.server.testclient.TestServer;
import org.fsnap.server.testclient.XdrReader;
import org.fsnap.server.vfs.snapshot.SnapshotStackSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Snapshot operations a client does over the wire (SETXATTR/GETXATTR of {@code fsnap.*}, and the
 * OPENATTR path) leave one audit line each on {@code fsnap.audit} with who, what, which file,
 * snapshot, result and duration, and move the snapshot histograms the metrics endpoint serves;
 * as fsnapd wires them ({@code SnapshotStack.operationListener} with a {@link SnapshotRecorder}).
 */
@Timeout(120)
class SnapshotAuditOverProtocolTest extends SnapshotStackSupport {
    private static final Pattern CREATE_LINE = Pattern.compile(
            "op=create file=dir/f snapshot=image1 uid=1000 client=127\\.0\\.0\\.1 result=ok ms=\\d+\\.\\d");

    private final Metrics metrics = new Metrics("test");
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level levelBefore;
    private TestServer server;
    private MetricsHttpServer http;
    private Nfs4Client alice;
    private Nfs4Client bob;

    @BeforeEach
    void start() throws Exception {
        levelBefore = auditLogger.getLevel();
        auditLogger.setLevel(Level.INFO); // as fsnapd runs it by default
        lines.start();
        auditLogger.addAppender(lines);
        fs.operationListener(new SnapshotRecorder(new AuditLog(true), metrics, List.of(export)));
        server = TestServer.start(fs);
        http = MetricsHttpServer.start(metrics, new ListenAddress("127.0.0.1", 0));
        alice = server.client().as(AuthSys.of(1000, 1000));
        bob = server.client().as(AuthSys.of(2000, 2000));
    }

    @AfterEach
    void stop() throws Exception {
        auditLogger.detachAppender(lines);
        auditLogger.setLevel(levelBefore);
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, server, http}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CompoundBuilder at(Nfs4Client c, String path) {
        return c.compound().minorVersion(2).sequence().putrootfh().lookupPath(path);
    }

    private static CompoundReply setxattr(CompoundBuilder b, String name, String value) throws Exception {
        return b.op(OpCode.SETXATTR, w -> w.writeInt(0).writeString(name)
                .writeOpaque(value.getBytes(StandardCharsets.UTF_8))).send();
    }

    private List<ILoggingEvent> events() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    private List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Scraped over HTTP, as Prometheus does. */
    private String scrape() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    /** A sample's value, 0 when the series is not there yet. */
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void createOverTheWireIsOneAuditLineAndMovesTheHistogram() throws Exception {
        file(dir(root(), "dir"), "f", "ABC", ALICE, 0644);
        String before = scrape();
        assertEquals(0, sample(before, "fsnap_snapshot_operation_seconds_count{op=\"create\"}"));

        assertEquals(NFS4_OK, setxattr(at(alice, "dir/f"), "fsnap.create", "image1").status());

        List<ILoggingEvent> events = events();
        assertEquals(1, events.size(), messages().toString());
        ILoggingEvent e = events.get(0);
        assertTrue(CREATE_LINE.matcher(e.getFormattedMessage()).matches(), e.getFormattedMessage());
        assertEquals(Level.INFO, e.getLevel());
        assertNull(e.getThrowableProxy());
        String after = scrape();
        assertEquals(1, sample(after, "fsnap_snapshot_operation_seconds_count{op=\"create\"}"), after);
        assertEquals(1, sample(after, "fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"}"), after);

        // an automatic name is logged as the engine chose it
        assertEquals(NFS4_OK, setxattr(at(alice, "dir/f"), "fsnap.create", "").status());
        assertTrue(messages().get(1).matches("op=create file=dir/f snapshot=\\d{8}T\\d{6}Z\\S* uid=1000 .*"),
                messages().get(1));
        assertEquals(2, sample(scrape(), "fsnap_snapshot_operation_seconds_count{op=\"create\"}"));
    }

    @Test
    void clientErrorsAreInfoLinesWithTheErrorAndNoStackTrace() throws Exception {
        file(root(), "f", "ABC", ALICE, 0644);
        assertEquals(Nfs4Status.NFS4ERR_NOXATTR, setxattr(at(alice, "f"), "fsnap.revert", "nosuch").status());
        assertEquals(NFS4ERR_ACCESS, setxattr(at(bob, "f"), "fsnap.delete", "x").status());

        List<ILoggingEvent> events = events();
        assertEquals(2, events.size(), messages().toString());
        assertTrue(events.get(0).getFormattedMessage().matches("op=revert file=f snapshot=nosuch uid=1000"
                + " client=127\\.0\\.0\\.1 result=NOXATTR ms=\\d+\\.\\d error=\".*nosuch.*\""),
                events.get(0).getFormattedMessage());
        assertTrue(events.get(1).getFormattedMessage().matches("op=delete file=f snapshot=x uid=2000"
                + " client=127\\.0\\.0\\.1 result=ACCESS ms=\\d+\\.\\d error=\"no write permission on the file\""),
                events.get(1).getFormattedMessage());
        for (ILoggingEvent e : events) {
            assertEquals(Level.INFO, e.getLevel(), e.getFormattedMessage());
            assertNull(e.getThrowableProxy(), "no stack trace for a client's error");
        }
        String s = scrape();
        assertEquals(1, sample(s, "fsnap_snapshot_operations_total{op=\"revert\",result=\"NOXATTR\"}"), s);
        assertEquals(1, sample(s, "fsnap_snapshot_operations_total{op=\"delete\",result=\"ACCESS\"}"), s);
    }

    @Test
    void readsAreCountedButNotAuditedAtInfo() throws Exception {
        file(root(), "f", "ABC", ALICE, 0644);
        CompoundReply r = at(bob, "f").op(OpCode.GETXATTR, w -> w.writeString("fsnap.list")).send();
        assertEquals(NFS4_OK, r.status());
        assertEquals(List.of(), messages(), "reads are DEBUG lines");
        assertEquals(1, sample(scrape(), "fsnap_snapshot_operations_total{op=\"list\",result=\"ok\"}"));

        auditLogger.setLevel(Level.DEBUG);
        at(bob, "f").op(OpCode.GETXATTR, w -> w.writeString("fsnap.current")).send().assertOk();
        List<ILoggingEvent> events = events();
        assertEquals(1, events.size(), messages().toString());
        assertEquals(Level.DEBUG, events.get(0).getLevel());
        assertTrue(events.get(0).getFormattedMessage().startsWith("op=current file=f snapshot=\"\" uid=2000 "),
                events.get(0).getFormattedMessage());
    }

    @Test
    void namedAttributeCommandsAreAuditedTheSameWay() throws Exception {
        file(root(), "f", "ABC", ALICE, 0644);
        CompoundReply r = at(alice, "f").op(OP_OPENATTR, w -> w.writeBoolean(false)).getfh().send();
        assertEquals(NFS4_OK, r.status(), r.toString());
        XdrReader rest = new XdrReader(r.find(OP_OPENATTR).body());
        assertEquals(OP_GETFH, rest.readInt());
        assertEquals(NFS4_OK, rest.readInt());
        byte[] dir = rest.readOpaque();

        alice.compound().sequence().putfh(dir)
                .open("fsnap.create", OPEN4_SHARE_ACCESS_BOTH, 0, alice.clientId(), alice.ownerId(),
                        OpenHow.noCreate())
                .write(Stateid.CURRENT, 0, 2, "v1\n".getBytes(StandardCharsets.UTF_8)).send().assertOk();

        List<String> creates = messages().stream().filter(m -> m.startsWith("op=create")).toList();
        assertEquals(1, creates.size(), messages().toString());
        assertTrue(creates.get(0).matches("op=create file=f snapshot=v1 uid=1000 client=127\\.0\\.0\\.1 result=ok"
                + " ms=\\d+\\.\\d"), creates.get(0));
        assertEquals(1, sample(scrape(), "fsnap_snapshot_operation_seconds_count{op=\"create\"}"));
    }
}
