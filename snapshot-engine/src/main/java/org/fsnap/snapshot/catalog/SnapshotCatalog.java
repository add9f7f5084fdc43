package org.fsnap.snapshot.catalog;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.history.FileHistory;

/**
 * The in-memory index of all file histories, rebuilt from the store at start-up.
 *
 * <p>The store on disk is the source of truth; a catalogue is a fast view of it. Changes are
 * compare-and-set on the history's metadata version, so a clustered implementation (e.g. a Hazelcast map
 * updated by entry processors) can detect and fence a writer working from stale state. A version of 0
 * means "no history".
 *
 * <p>A clustered catalogue can also go stale as a whole (after a split-brain merge its map may be the
 * copy of a side that missed changes the store has): it then refuses changes until a {@link Resync}
 * registered by the engine has re-read the store into it with {@link #publishIfNewer} (see
 * {@link #resyncWith}). The local catalogue never goes stale.
 */
public interface SnapshotCatalog {

    Optional<FileHistory> find(FileKey key);

    /**
     * Installs {@code updated} if the catalogue's version for {@code key} is {@code expectedVersion}.
     *
     * @return false if another change got there first (nothing is modified then)
     */
    boolean replace(FileKey key, long expectedVersion, FileHistory updated);

    /**
     * The fencing check, called under the history's lock right before a change computed from
     * {@code expectedVersion} is made durable in the store: throws if the change must not happen (a
     * clustered catalogue refuses when this node lost its lock or the majority, or the version moved on).
     * The local catalogue has nothing to check.
     */
    default void beforeCommit(FileKey key, long expectedVersion) throws IOException {
    }

    /** Removes the history if its version is still {@code expectedVersion}. */
    boolean remove(FileKey key, long expectedVersion);

    /** Installs a history read from the store, unconditionally (start-up rebuild). */
    void load(FileHistory history);

    /** What {@link #publishIfNewer} found. */
    enum Publish {
        /** The catalogue lacked the history or had an older version: it now has the given one. */
        PUBLISHED,
        /** The catalogue already has exactly this state. */
        SAME,
        /**
         * The catalogue has a newer version, or the same version with other content: either a change
         * committed meanwhile, or a stale copy of an earlier incarnation of the history (removed and
         * created again, which starts its versions over). Nothing was changed; only a re-read under the
         * history's lock can tell which.
         */
        DIFFERENT
    }

    /**
     * Installs a history read from the store without holding its lock, but only if the catalogue lacks it
     * or has an older version: atomic, so it never moves a history backwards (a change committed between
     * the read and this call has a higher version and wins), and several nodes may do it at once.
     */
    Publish publishIfNewer(FileHistory fromStore);

    /** Ids of every history in the catalogue. */
    default Set<FileKey> keys() {
        return all().stream().map(FileHistory::key).collect(Collectors.toSet());
    }

    /** Counts of one re-synchronisation, for the log. */
    record Resynced(int read, int published, int reread, int removed) {
        public Resynced plus(Resynced o) {
            return new Resynced(read + o.read, published + o.published, reread + o.reread, removed + o.removed);
        }
    }

    /** Re-reads the store into this catalogue after it may have gone stale; throws if it could not. */
    @FunctionalInterface
    interface Resync {
        Resynced resync() throws IOException;
    }

    /**
     * Registers how to re-read this catalogue from the store when it may have gone stale; the returned
     * action unregisters it. A catalogue that cannot go stale ignores it.
     */
    default Runnable resyncWith(Resync resync) {
        return () -> { };
    }

    /** Histories whose live file was last seen in {@code directory} (relative to the export, "" = root). */
    Collection<FileHistory> locatedIn(String directory);

    /** Every history (for diagnostics and tests; may be large). */
    Collection<FileHistory> all();
}
