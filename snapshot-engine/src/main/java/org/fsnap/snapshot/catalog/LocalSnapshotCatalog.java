package org.fsnap.snapshot.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.history.FileHistory;

/**
 * Single-node catalogue: a concurrent map of immutable histories plus an index by last known directory, so
 * a directory's orphans are found without scanning every history.
 */
public final class LocalSnapshotCatalog implements SnapshotCatalog {

    private final ConcurrentMap<FileKey, FileHistory> histories = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<FileKey>> byDirectory = new ConcurrentHashMap<>();

    @Override
    public Optional<FileHistory> find(FileKey key) {
        return Optional.ofNullable(histories.get(key));
    }

    @Override
    public boolean replace(FileKey key, long expectedVersion, FileHistory updated) {
        FileHistory[] previous = new FileHistory[1];
        boolean[] done = new boolean[1];
        histories.compute(key, (k, old) -> {
            long version = old == null ? 0 : old.version();
            if (version != expectedVersion) {
                return old;
            }
            previous[0] = old;
            done[0] = true;
            return updated;
        });
        if (done[0]) {
            reindex(key, previous[0], updated);
        }
        return done[0];
    }

    @Override
    public boolean remove(FileKey key, long expectedVersion) {
        FileHistory old = histories.get(key);
        if (old == null || old.version() != expectedVersion || !histories.remove(key, old)) {
            return false;
        }
        reindex(key, old, null);
        return true;
    }

    @Override
    public void load(FileHistory history) {
        FileHistory old = histories.put(history.key(), history);
        reindex(history.key(), old, history);
    }

    @Override
    public Publish publishIfNewer(FileHistory fromStore) {
        FileHistory[] previous = new FileHistory[1];
        Publish[] outcome = new Publish[1];
        histories.compute(fromStore.key(), (k, old) -> {
            previous[0] = old;
            if (old == null || old.version() < fromStore.version()) {
                outcome[0] = Publish.PUBLISHED;
                return fromStore;
            }
            outcome[0] = old.equals(fromStore) ? Publish.SAME : Publish.DIFFERENT;
            return old;
        });
        if (outcome[0] == Publish.PUBLISHED) {
            reindex(fromStore.key(), previous[0], fromStore);
        }
        return outcome[0];
    }

    @Override
    public Collection<FileHistory> locatedIn(String directory) {
        Set<FileKey> keys = byDirectory.get(directory);
        if (keys == null) {
            return List.of();
        }
        List<FileHistory> found = new ArrayList<>(keys.size());
        for (FileKey key : keys) {
            FileHistory h = histories.get(key);
            if (h != null && h.locationDirectory().equals(directory) && !h.location().isEmpty()) {
                found.add(h);
            }
        }
        return found;
    }

    @Override
    public Collection<FileHistory> all() {
        return List.copyOf(histories.values());
    }

    private void reindex(FileKey key, FileHistory before, FileHistory after) {
        String oldDir = before == null || before.location().isEmpty() ? null : before.locationDirectory();
        String newDir = after == null || after.location().isEmpty() ? null : after.locationDirectory();
        if (oldDir != null && !oldDir.equals(newDir)) {
            byDirectory.computeIfPresent(oldDir, (d, set) -> {
                set.remove(key);
                return set.isEmpty() ? null : set;
            });
        }
        if (newDir != null) {
            byDirectory.computeIfAbsent(newDir, d -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }
}
