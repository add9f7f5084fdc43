package org.fsnap.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The audit lines word for word, their levels, and that none carries a stack trace. */
class AuditLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    private List<String> logged() {
        return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " +stack")).toList();
    }

    @Test
    void linesNameWhoWhatWhichResultAndDuration() {
        AuditLog audit = new AuditLog(true);
        InetAddress client = InetAddress.ofLiteral("10.0.0.5");
        audit.clientOperation(1000, client, "create", "vm/disk.qcow2", "v1", "ok", null, Duration.ofNanos(12_400_000));
        audit.clientOperation(65534, client, "delete", "a b.txt", "v0", "ACCESS", "no write permission on the file",
                Duration.ofNanos(200_000));
        audit.clientOperation(0, null, "revert", "x", "say \"hi\"\n", "IO", "disk on fire", Duration.ofMillis(3));
        audit.scheduledOperation("hourly", "create", "vm/disk.qcow2", "hourly-20261122T1900Z", "ok", null,
                Duration.ofNanos(3_149_000));
        assertEquals(List.of(
                "INFO op=create file=vm/disk.qcow2 snapshot=v1 uid=1000 client=10.0.0.5 result=ok ms=12.4",
                "INFO op=delete file=\"a b.txt\" snapshot=v0 uid=65534 client=10.0.0.5 result=ACCESS ms=0.2"
                        + " error=\"no write permission on the file\"",
                "WARN op=revert file=x snapshot=\"say \\\"hi\\\"\\x0a\" uid=0 client=- result=IO ms=3.0"
                        + " error=\"disk on fire\"",
                "INFO op=create file=vm/disk.qcow2 snapshot=hourly-20261122T1900Z by=schedule:hourly result=ok"
                        + " ms=3.1"), logged());
    }

    @Test
    void readsAreDebugUnlessTheServerFailedAndDelayIsTheServers() {
        Level before = logger.getLevel();
        try {
            AuditLog audit = new AuditLog(true);
            logger.setLevel(Level.INFO);
            audit.clientOperation(1000, null, "list", "f", "", "ok", null, Duration.ZERO);
            audit.clientOperation(1000, null, "info", "f", "", "ACCESS", "no read permission on the file",
                    Duration.ZERO);
            audit.clientOperation(1000, null, "current", "f", "", "IO", "store unreadable", Duration.ZERO);
            audit.clientOperation(1000, null, "create", "f", "v", "DELAY", "no majority", Duration.ZERO);
            logger.setLevel(Level.DEBUG);
            audit.clientOperation(1000, null, "list", "f", "", "ok", null, Duration.ZERO);
            assertEquals(List.of(
                    "WARN op=current file=f snapshot=\"\" uid=1000 client=- result=IO ms=0.0 error=\"store unreadable\"",
                    "WARN op=create file=f snapshot=v uid=1000 client=- result=DELAY ms=0.0 error=\"no majority\"",
                    "DEBUG op=list file=f snapshot=\"\" uid=1000 client=- result=ok ms=0.0"), logged());
        } finally {
            logger.setLevel(before);
        }
    }

    @Test
    void disabledWritesNothing() {
        AuditLog.disabled().clientOperation(1, null, "create", "f", "", "ok", null, Duration.ZERO);
        assertEquals(List.of(), logged());
    }

    @Test
    void logLevelKeepsAuditAtInfo() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            LogSettings.apply("warn");
            assertEquals(Level.WARN, root.getLevel());
            new AuditLog(true).clientOperation(1, null, "create", "f", "s", "ok", null, Duration.ZERO);
            assertEquals(1, logged().size());
            LogSettings.apply("debug");
            assertEquals(Level.DEBUG, root.getLevel());
        } finally {
            root.setLevel(before);
            logger.setLevel(null);
        }
    }
}
