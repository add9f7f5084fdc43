package org.fsnap.snapshot.cluster;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.lock.LockKey;

/**
 * The catalogue as one Hazelcast map ({@code fsnap.catalog}, key = history id) shared by all nodes:
 * every read goes to the map (no near cache, no local copy), so a change committed through one node is
 * what every other node reads as soon as the commit returns (the map's backups are synchronous).
 *
 * <p>Changes are entry processors comparing the metadata version (atomic on the key's owner). Before
 * the engine makes a change durable in the store, {@link #beforeCommit} fences it: this node must still
 * see a majority, still hold the history's lock (its lease id is still the recorded one), and the
 * catalogue must still be at the version the change was computed from.
 */
public final class HazelcastSnapshotCatalog implements SnapshotCatalog {

    private final ClusterMember cluster;
    private final HazelcastFileLocks locks;
    private final IMap<String, CatalogEntry> map;

    HazelcastSnapshotCatalog(ClusterMember cluster, HazelcastFileLocks locks) {
        this.cluster = cluster;
        this.locks = locks;
        this.map = cluster.map(ClusterMember.CATALOG_MAP);
    }

    @Override
    public Optional<FileHistory> find(FileKey key) {
        CatalogEntry e;
        try {
            e = map.get(key.toString());
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("read history " + key, x).unchecked();
        }
        return e == null ? Optional.empty() : Optional.of(e.toHistory(key));
    }

    @Override
    public boolean replace(FileKey key, long expectedVersion, FileHistory updated) {
        try {
            return map.executeOnKey(key.toString(),
                    new Processors.CompareAndSet(expectedVersion, CatalogEntry.of(updated)));
        } catch (HazelcastException | IllegalStateException x) {
            locks.markUnpublished(new LockKey.History(key));
            throw cluster.unavailable("update history " + key, x).unchecked();
        }
    }

    @Override
    public boolean remove(FileKey key, long expectedVersion) {
        try {
            return map.executeOnKey(key.toString(), new Processors.RemoveIfVersion(expectedVersion));
        } catch (HazelcastException | IllegalStateException x) {
            locks.markUnpublished(new LockKey.History(key));
            throw cluster.unavailable("remove history " + key, x).unchecked();
        }
    }

    @Override
    public void load(FileHistory history) {
        try {
            map.set(history.key().toString(), CatalogEntry.of(history));
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("load history " + history.key(), x).unchecked();
        }
    }

    @Override
    public Collection<FileHistory> locatedIn(String directory) {
        List<FileHistory> found = new ArrayList<>();
        try {
            for (Map.Entry<String, CatalogEntry> e : map.entrySet(Predicates.equal("directory", directory))) {
                FileHistory h = e.getValue().toHistory(FileKey.parse(e.getKey()));
                if (!h.location().isEmpty() && h.locationDirectory().equals(directory)) {
                    found.add(h);
                }
            }
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("list histories in " + directory, x).unchecked();
        }
        return found;
    }

    @Override
    public Collection<FileHistory> all() {
        List<FileHistory> all = new ArrayList<>();
        try {
            for (Map.Entry<String, CatalogEntry> e : map.entrySet()) {
                all.add(e.getValue().toHistory(FileKey.parse(e.getKey())));
            }
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("list histories", x).unchecked();
        }
        return all;
    }

    @Override
    public void beforeCommit(FileKey key, long expectedVersion) throws ClusterUnavailableException {
        locks.checkStillHeld(new LockKey.History(key));
        CatalogEntry e;
        try {
            e = map.get(key.toString());
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("commit to history " + key, x);
        }
        long version = e == null ? 0 : e.getVersion();
        if (version != expectedVersion) {
            throw new ClusterUnavailableException("commit to history " + key + ": it is at version " + version
                    + ", the change was made from version " + expectedVersion + "; nothing was changed");
        }
    }

    /** Number of histories in the cluster (tests, diagnostics). */
    public int size() {
        return map.size();
    }
}
