package org.fsnap.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.snapshot.SnapshotLimitException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SnapshotRecorderTest {
    @Test
    void auditLineAndMetricPerScheduledOperation() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Metrics metrics = new Metrics("t");
            SnapshotRecorder r = new SnapshotRecorder(new AuditLog(true), metrics, List.of(Path.of("/srv/x")));
            r.snapshotOperation("hourly", "create", Path.of("/srv/x/vm/a.qcow2"), "hourly-20261122T1900Z", null,
                    Duration.ofMillis(2));
            r.snapshotOperation("hourly", "create", Path.of("/srv/x/b"), "hourly-20261122T1900Z",
                    new SnapshotLimitException("b already has 3 snapshots, the maximum"), Duration.ofMillis(1));
            assertEquals(List.of(
                    "op=create file=vm/a.qcow2 snapshot=hourly-20261122T1900Z by=schedule:hourly result=ok ms=2.0",
                    "op=create file=b snapshot=hourly-20261122T1900Z by=schedule:hourly result=DQUOT ms=1.0"
                            + " error=\"b already has 3 snapshots, the maximum\""),
                    lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertTrue(metrics.scrape().contains("fsnap_snapshot_operations_total{op=\"create\",result=\"DQUOT\"} 1.0"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void severalExportsNameFilesByTheirPathUnderThePseudoRoot() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Metrics metrics = new Metrics("t");
            SnapshotRecorder r = new SnapshotRecorder(new AuditLog(true), metrics,
                    List.of(Path.of("/srv/vms"), Path.of("/data/vms")), Path.of("/srv/vms"));
            r.snapshotOperation("hourly", "create", Path.of("/data/vms/a.img"), "hourly-20261122T1900Z", null,
                    Duration.ofMillis(2));
            r.clientOperation(new Caller(1000, 1000, null, InetAddress.getLoopbackAddress()), "revert", "b/c.img",
                    "v9", VfsError.NOXATTR, "no snapshot v9 of b/c.img", 400_000);
            assertEquals(List.of(
                    "op=create file=/srv/vms/a.img snapshot=hourly-20261122T1900Z by=schedule:hourly result=ok ms=2.0",
                    "op=revert file=/srv/vms/b/c.img snapshot=v9 uid=1000 client=127.0.0.1 result=NOXATTR ms=0.4"
                            + " error=\"no snapshot v9 of b/c.img\""),
                    lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertTrue(metrics.scrape().contains("fsnap_snapshot_operations_total{op=\"revert\",result=\"NOXATTR\"} 1.0"));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
