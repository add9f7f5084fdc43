package org.fsnap.server.schedule;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.fsnap.config.Schedule;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotExistsException;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.SnapshotLimitException;
import org.fsnap.snapshot.SnapshotNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code [schedule NAME]} policies of the configuration: once per slot of a schedule
 * (a multiple of its interval, see {@link ScheduleNames#slot}), every regular file of the
 * exports matching its globs gets a snapshot named {@code NAME-<slot>}, then the schedule's own
 * snapshots of that file beyond its retention are deleted ({@link RetentionPlan}).
 *
 * <p>Nothing is stored between runs: after a restart the current slot's snapshots that exist
 * already are skipped (the engine refuses the same name twice); missed slots are not made up.
 *
 * <p>Deleting relies on the engine re-parenting the deleted snapshot's children to its parent.
 * The scheduler checks that after each deletion and stops deleting altogether (with an error in
 * the log) if it ever finds a child cut off from its history.
 */
public final class SnapshotScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    /** Directories the walk never enters (the engine's store, the server's state, the view). */
    public static final Set<String> HIDDEN = Set.of(".fsnap-store", ".fsnap-state", ".fsnap");

    /** What happened to one file in one run, for the audit log and metrics. */
    public interface Listener {
        /** {@code action} is "create" or "delete"; {@code error} is null on success. */
        void snapshotOperation(String schedule, String action, Path file, String snapshot, SnapshotException error,
                               Duration took);
    }

    /** Totals of one {@link #runDue} call. */
    public record Report(int created, int skipped, int deleted, int failed) {
        Report plus(Report o) {
            return new Report(created + o.created, skipped + o.skipped, deleted + o.deleted, failed + o.failed);
        }
    }

    private final List<Schedule> schedules;
    private final List<Path> exportRoots;
    private final SnapshotOps ops;
    private final Clock clock;
    private final Predicate<Path> excluded;
    private final Listener listener;
    private final Map<String, Instant> lastSlot = new HashMap<>();
    /** Set when the engine was seen not re-parenting: no more deletions until a restart. */
    private volatile boolean retentionStopped;
    private ScheduledExecutorService timer;

    /**
     * @param exportRoots the exported directories (absolute)
     * @param excluded    paths the walk skips besides {@link #HIDDEN} (e.g. the engine's store)
     */
    public SnapshotScheduler(List<Schedule> schedules, List<Path> exportRoots, SnapshotOps ops, Clock clock,
                             Predicate<Path> excluded, Listener listener) {
        this.schedules = List.copyOf(schedules);
        this.exportRoots = exportRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.ops = ops;
        this.clock = clock;
        this.excluded = excluded;
        this.listener = listener;
    }

    /** Checks the schedules every {@code period} on a daemon thread until {@link #close}. */
    public synchronized void start(Duration period) {
        if (timer != null || schedules.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "snapshot-scheduler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                runDue();
            } catch (RuntimeException e) {
                LOG.error("snapshot scheduler run failed", e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("snapshot schedules: {}", schedules.stream().map(s -> s.name() + " every " + s.every()).toList());
    }

    /** Runs every schedule whose current slot has not been run yet. */
    public synchronized Report runDue() {
        Instant now = clock.instant();
        Report total = new Report(0, 0, 0, 0);
        for (Schedule s : schedules) {
            Instant slot = ScheduleNames.slot(now, s.every());
            if (slot.equals(lastSlot.get(s.name()))) {
                continue;
            }
            lastSlot.put(s.name(), slot);
            Report r = run(s, slot);
            LOG.info("schedule {}: slot {}: {} snapshots taken, {} already there, {} deleted by retention, {} failed",
                    s.name(), ScheduleNames.name(s.name(), slot), r.created(), r.skipped(), r.deleted(), r.failed());
            total = total.plus(r);
        }
        return total;
    }

    private Report run(Schedule s, Instant slot) {
        String name = ScheduleNames.name(s.name(), slot);
        Report report = new Report(0, 0, 0, 0);
        for (Path root : exportRoots) {
            if (s.export().isPresent() && !s.export().get().toAbsolutePath().normalize().equals(root)) {
                continue;
            }
            for (Path file : matchingFiles(root, s.match())) {
                report = report.plus(snapshotAndPrune(s, file, name));
            }
        }
        return report;
    }

    private Report snapshotAndPrune(Schedule s, Path file, String name) {
        int created = 0;
        int skipped = 0;
        int failed = 0;
        int deleted = 0;
        try {
            create(s, file, name);
            created = 1;
        } catch (SnapshotExistsException e) {
            skipped = 1;
        } catch (SnapshotLimitException e) {
            // Full: make room by retention, counting the snapshot about to be taken, then retry once.
            deleted += prune(s, file, Optional.of(name));
            try {
                create(s, file, name);
                created = 1;
            } catch (SnapshotException again) {
                LOG.warn("schedule {}: no snapshot of {}: {}", s.name(), file, again.getMessage());
                failed = 1;
            }
        } catch (SnapshotException e) {
            LOG.warn("schedule {}: no snapshot of {}: {}", s.name(), file, e.getMessage());
            failed = 1;
        }
        deleted += prune(s, file, Optional.empty());
        return new Report(created, skipped, deleted, failed);
    }

    private void create(Schedule s, Path file, String name) throws SnapshotException {
        long start = System.nanoTime();
        try {
            ops.create(file, name);
            listener.snapshotOperation(s.name(), "create", file, name, null,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (SnapshotException e) {
            if (!(e instanceof SnapshotExistsException)) {
                listener.snapshotOperation(s.name(), "create", file, name, e,
                        Duration.ofNanos(System.nanoTime() - start));
            }
            throw e;
        }
    }

    /**
     * Deletes what retention does not keep; returns how many were deleted.
     *
     * @param pending a snapshot about to be taken, counted as the newest
     */
    private int prune(Schedule s, Path file, Optional<String> pending) {
        int deleted = 0;
        if (retentionStopped) {
            return 0;
        }
        try {
            List<SnapshotInfo> before = ops.list(file);
            List<SnapshotInfo> planned = new ArrayList<>(before);
            if (pending.isPresent()) {
                planned.add(new SnapshotInfo(pending.get(), clock.instant(), 0, Optional.empty(),
                        before.isEmpty() ? null : before.get(0).strategy(), clock.instant(), false));
            }
            for (String victim : RetentionPlan.toDelete(s.name(), s.keep(), planned)) {
                Optional<SnapshotInfo> gone = before.stream().filter(i -> i.name().equals(victim)).findFirst();
                if (gone.isEmpty()) {
                    continue;
                }
                List<String> children = before.stream()
                        .filter(i -> i.parent().equals(Optional.of(victim))).map(SnapshotInfo::name).toList();
                long start = System.nanoTime();
                try {
                    ops.delete(file, victim);
                } catch (SnapshotNotFoundException e) {
                    before = ops.list(file); // deleted by someone else meanwhile
                    continue;
                } catch (SnapshotException e) {
                    listener.snapshotOperation(s.name(), "delete", file, victim, e,
                            Duration.ofNanos(System.nanoTime() - start));
                    throw e;
                }
                listener.snapshotOperation(s.name(), "delete", file, victim, null,
                        Duration.ofNanos(System.nanoTime() - start));
                deleted++;
                List<SnapshotInfo> after = ops.list(file);
                if (!reparented(children, gone.get().parent(), after)) {
                    retentionStopped = true;
                    LOG.error("schedule {}: after deleting snapshot {} of {}, its children {} did not move to its"
                            + " parent {}: retention is stopped until fsnapd restarts", s.name(), victim, file,
                            children, gone.get().parent().orElse("(none)"));
                    return deleted;
                }
                before = after;
            }
        } catch (SnapshotException e) {
            LOG.warn("schedule {}: retention of {} stopped: {}", s.name(), file, e.getMessage());
        }
        return deleted;
    }

    private static boolean reparented(List<String> children, Optional<String> grandparent, List<SnapshotInfo> after) {
        for (SnapshotInfo i : after) {
            if (children.contains(i.name()) && !i.parent().equals(grandparent)) {
                return false;
            }
        }
        return true;
    }

    /** Regular files under {@code root} whose path relative to it matches a glob; sorted. */
    List<Path> matchingFiles(Path root, List<String> globs) {
        List<PathMatcher> byName = new ArrayList<>();
        List<PathMatcher> byPath = new ArrayList<>();
        for (String g : globs) {
            (g.indexOf('/') >= 0 ? byPath : byName).add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && (HIDDEN.contains(dir.getFileName().toString()) || excluded.test(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile() || excluded.test(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path relative = root.relativize(file);
                    Path fileName = file.getFileName();
                    if (byName.stream().anyMatch(m -> m.matches(fileName))
                            || byPath.stream().anyMatch(m -> m.matches(relative))) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    LOG.debug("snapshot scheduler: cannot visit {}: {}", file, e.toString());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("snapshot scheduler: cannot walk {}: {}", root, e.toString());
        }
        found.sort(null);
        return found;
    }

    /** Whether retention stopped deleting after finding a snapshot cut off from its history. */
    public boolean retentionStopped() {
        return retentionStopped;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
