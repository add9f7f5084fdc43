package org.fsnap.server.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fsnap.server.audit.AuditLog;
import org.fsnap.server.metrics.Metrics;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.snapshot.SnapshotErrors;
import org.fsnap.server.vfs.snapshot.SnapshotOperationListener;
import org.fsnap.snapshot.SnapshotException;

/**
 * Every snapshot operation, a client's (through the control xattrs) or a schedule's, into the
 * audit log ({@link AuditLog}) and the metrics ({@link Metrics#snapshotOperation}): one audit line
 * and one histogram sample per operation, with the same result names either way ("ok", or the NFS
 * error the failure is, without {@code NFS4ERR_}).
 */
public final class SnapshotRecorder implements SnapshotScheduler.Listener, SnapshotOperationListener {
    private final AuditLog audit;
    private final Metrics metrics;
    private final List<Path> exportRoots;
    private final Path shownUnder;

    /** Scheduled snapshots' files are named relative to the export among {@code exportRoots} that holds them. */
    public SnapshotRecorder(AuditLog audit, Metrics metrics, List<Path> exportRoots) {
        this(audit, metrics, exportRoots, null);
    }

    /**
     * For one export among several (under a pseudo-root): files, the clients' and the schedules', are
     * named by their path below {@code shownUnder} (the export's path, as clients see it), so lines of
     * different exports cannot be mistaken for each other.
     *
     * @param exportRoots the export's directory (as configured, and its real path)
     * @param shownUnder  the prefix of every file name, or null for names relative to the export
     */
    public SnapshotRecorder(AuditLog audit, Metrics metrics, List<Path> exportRoots, Path shownUnder) {
        this.audit = audit;
        this.metrics = metrics;
        this.exportRoots = exportRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.shownUnder = shownUnder;
    }

    @Override
    public void snapshotOperation(String schedule, String action, Path file, String snapshot, SnapshotException error,
                                  Duration took) {
        String result = result(error);
        audit.scheduledOperation(schedule, action, relative(file), snapshot, result,
                error == null ? null : error.getMessage(), took);
        metrics.snapshotOperation(action, result, took.toNanos());
    }

    @Override
    public void clientOperation(Caller caller, String op, String file, String snapshot, VfsError error,
                                String message, long nanos) {
        String result = error == null ? "ok" : error.name();
        audit.clientOperation(caller.uid(), caller.client(), op, shown(file), snapshot, result, message,
                Duration.ofNanos(nanos));
        metrics.snapshotOperation(op, result, nanos);
    }

    /** "ok", or the NFS error name the same failure gets over NFS. */
    static String result(SnapshotException e) {
        return e == null ? "ok" : SnapshotErrors.errorOf(e).name();
    }

    private String relative(Path file) {
        Path f = file.toAbsolutePath().normalize();
        Path best = null;
        for (Path root : exportRoots) {
            if (f.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
                best = root;
            }
        }
        return best == null ? f.toString() : shown(best.relativize(f).toString());
    }

    /** A name relative to the export as the log shows it. */
    private String shown(String relative) {
        if (shownUnder == null || relative.equals("?")) {
            return relative;
        }
        return relative.isEmpty() || relative.equals(".") ? shownUnder.toString()
                : shownUnder.resolve(relative).toString();
    }
}
