package org.fsnap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fsnap.config.ListenAddress;
import org.fsnap.config.Retention;
import org.fsnap.config.Schedule;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.snapshot.SnapshotStackSupport;
import org.fsnap.snapshot.SnapshotInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotServices}, what {@code serve} wires per export: the stack reports client
 * snapshot operations to the audit log (unless {@code log.audit = no}) and the metrics, and the
 * schedules that apply to the export run on it.
 */
@Timeout(60)
class SnapshotServicesTest extends SnapshotStackSupport {
    private final Metrics metrics = new Metrics("test");
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        auditLogger.addAppender(lines);
    }

    @AfterEach
    void release() {
        auditLogger.detachAppender(lines);
    }

    private ServerOptions options(boolean audit, List<Schedule> schedules) {
        return ServerOptions.defaults(export, new ListenAddress("127.0.0.1", 0)).withLogging("info", audit)
                .withSchedules(schedules);
    }

    private List<String> messages() {
        synchronized (lines) {
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private void create(String file, String snapshot) throws Exception {
        fs.setXattr(ALICE, fs.lookup(ROOT, root(), file), "fsnap.create", snapshot.getBytes(StandardCharsets.UTF_8),
                XattrSetMode.EITHER);
    }

    @Test
    void clientOperationsAreAuditedAndCounted() throws Exception {
        file(root(), "f", "x", ALICE, 0644);
        try (SnapshotServices s = SnapshotServices.start(options(true, List.of()), metrics,
                List.of(new SnapshotExport(export, fs)))) {
            assertEquals(List.of(), s.schedulers(), "no schedule, no scheduler");
            create("f", "one");
        }
        assertEquals(1, messages().size(), messages().toString());
        assertTrue(messages().get(0).startsWith("op=create file=f snapshot=one uid=1000 client=- result=ok ms="),
                messages().get(0));
        assertTrue(metrics.scrape().contains("fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"} 1.0"));
    }

    @Test
    void auditOffStillCounts() throws Exception {
        file(root(), "f", "x", ALICE, 0644);
        try (var s = SnapshotServices.start(options(false, List.of()), metrics,
                List.of(new SnapshotExport(export, fs)))) {
            create("f", "one");
        }
        assertEquals(List.of(), messages());
        assertTrue(metrics.scrape().contains("fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"} 1.0"));
    }

    @Test
    void schedulesForThisExportRunOnItAndOthersDoNot() throws Exception {
        file(root(), "a.img", "x", ALICE, 0644);
        file(root(), "b.txt", "x", ALICE, 0644);
        Schedule mine = new Schedule("often", List.of("*.img"), Optional.of(export), Duration.ofMinutes(1),
                new Retention(2, 0, 0, 0, 0), 1);
        Path elsewhere = Files.createTempDirectory("fsnap-other-export");
        Schedule theirs = new Schedule("theirs", List.of("*"), Optional.of(elsewhere), Duration.ofMinutes(1),
                new Retention(2, 0, 0, 0, 0), 5);
        try (var s = SnapshotServices.start(options(true, List.of(mine, theirs)), metrics,
                List.of(new SnapshotExport(export, fs)))) {
            assertEquals(1, s.schedulers().size());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (messages().stream().noneMatch(m -> m.contains("by=schedule:often")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            Files.delete(elsewhere);
        }
        List<String> names = fs.engine().list(export.toRealPath().resolve("a.img")).stream().map(SnapshotInfo::name)
                .toList();
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.get(0).matches("often-\\d{8}T\\d{4}Z"), names.toString());
        assertEquals(List.of(), fs.engine().list(export.toRealPath().resolve("b.txt")));
        assertTrue(messages().stream().noneMatch(m -> m.contains("schedule:theirs")), messages().toString());
        assertTrue(metrics.scrape().contains("fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"} 1.0"));
    }
}
