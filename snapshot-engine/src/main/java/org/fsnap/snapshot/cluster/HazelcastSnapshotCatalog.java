package org.fsnap.snapshot.cluster;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>The map is only as fresh as the side of a split it survived on: with the discard merge policy, two
 * minorities merging keep the data of whichever side Hazelcast picks, which may have missed changes an
 * earlier majority committed to the store. So after this node regains a majority or merges, it refuses
 * changes (see {@link ClusterMember}) until the {@link Resync} the engine registered through
 * {@link #resyncWith} has re-read the store into the map with {@link #publishIfNewer}, which only ever
 * moves an entry forward. Without that, the version check in {@link #beforeCommit} would compare against
 * the stale version and let a change computed from it append conflicting events to the store's log.
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
    public Publish publishIfNewer(FileHistory fromStore) {
        try {
            int outcome = map.executeOnKey(fromStore.key().toString(),
                    new Processors.PublishIfNewer(CatalogEntry.of(fromStore)));
            return Publish.values()[outcome];
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("re-synchronise history " + fromStore.key(), x).unchecked();
        }
    }

    @Override
    public Set<FileKey> keys() {
        Set<FileKey> keys = new HashSet<>();
        try {
            for (String k : map.keySet()) {
                keys.add(FileKey.parse(k));
            }
        } catch (HazelcastException | IllegalStateException x) {
            throw cluster.unavailable("list history ids", x).unchecked();
        }
        return keys;
    }

    @Override
    public Runnable resyncWith(Resync resync) {
        return cluster.resync().register(resync);
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
