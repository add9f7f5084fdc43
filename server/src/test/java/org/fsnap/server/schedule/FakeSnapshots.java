package org.fsnap.server.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotExistsException;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.SnapshotLimitException;
import org.fsnap.snapshot.SnapshotNotFoundException;
import org.fsnap.snapshot.clone.CloneStrategy;

/** The engine's snapshot histories in memory: parents, current, re-parenting on delete, a limit. */
final class FakeSnapshots implements SnapshotOps {
    record Snap(String name, java.time.Instant created, String parent) {
    }

    static final class History {
        final Map<String, Snap> snaps = new LinkedHashMap<>();
        String current;
    }

    final Map<Path, History> files = new HashMap<>();
    final Clock clock;
    int limit = 1000;
    boolean reparent = true;
    final List<String> log = new ArrayList<>();

    FakeSnapshots(Clock clock) {
        this.clock = clock;
    }

    History h(Path file) {
        return files.computeIfAbsent(file, f -> new History());
    }

    @Override
    public void create(Path file, String name) throws SnapshotException {
        History h = h(file);
        if (h.snaps.containsKey(name)) {
            throw new SnapshotExistsException("snapshot " + name + " exists");
        }
        if (h.snaps.size() >= limit) {
            throw new SnapshotLimitException(file + " has " + h.snaps.size() + " snapshots");
        }
        h.snaps.put(name, new Snap(name, clock.instant(), h.current));
        h.current = name;
        log.add("create " + file.getFileName() + " " + name);
    }

    @Override
    public List<SnapshotInfo> list(Path file) {
        History h = h(file);
        return h.snaps.values().stream().map(s -> new SnapshotInfo(s.name(), s.created(), 1,
                Optional.ofNullable(s.parent()), CloneStrategy.values()[0], s.created(),
                s.name().equals(h.current))).toList();
    }

    @Override
    public void delete(Path file, String name) throws SnapshotException {
        History h = h(file);
        Snap gone = h.snaps.remove(name);
        if (gone == null) {
            throw new SnapshotNotFoundException("no snapshot " + name);
        }
        if (reparent) {
            h.snaps.replaceAll((k, s) -> name.equals(s.parent()) ? new Snap(s.name(), s.created(), gone.parent()) : s);
        }
        if (name.equals(h.current)) {
            h.current = gone.parent();
        }
        log.add("delete " + file.getFileName() + " " + name);
    }
}
