package org.fsnap.server.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.snapshot.NoSpaceException;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotExistsException;
import org.fsnap.snapshot.SnapshotLimitException;
import org.fsnap.snapshot.SnapshotNotFoundException;

/** The scheduler's operations into the audit log and the metrics. */
public final class ScheduleRecorder implements SnapshotScheduler.Listener {
    private final AuditLog audit;
    private final Metrics metrics;
    private final List<Path> exportRoots;

    /** Files are named relative to the export among {@code exportRoots} that holds them. */
    public ScheduleRecorder(AuditLog audit, Metrics metrics, List<Path> exportRoots) {
        this.audit = audit;
        this.metrics = metrics;
        this.exportRoots = exportRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    @Override
    public void snapshotOperation(String schedule, String action, Path file, String snapshot, SnapshotException error,
                                  Duration took) {
        String result = result(error);
        audit.scheduledOperation(schedule, action, relative(file), snapshot, result,
                error == null ? null : error.getMessage(), took);
        metrics.snapshotOperation(action, result, took.toNanos());
    }

    /** "ok", or the NFS error name the same failure gets over NFS. */
    static String result(SnapshotException e) {
        return switch (e) {
            case null -> "ok";
            case SnapshotExistsException x -> "EXIST";
            case SnapshotNotFoundException x -> "NOXATTR";
            case SnapshotLimitException x -> "DQUOT";
            case NoSpaceException x -> "NOSPC";
            default -> "IO";
        };
    }

    private String relative(Path file) {
        Path f = file.toAbsolutePath().normalize();
        Path best = null;
        for (Path root : exportRoots) {
            if (f.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
                best = root;
            }
        }
        return best == null ? f.toString() : best.relativize(f).toString();
    }
}
