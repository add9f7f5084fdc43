package org.fsnap.snapshot.catalog;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.history.FileHistory;

/**
 * The in-memory index of all file histories, rebuilt from the store at start-up.
 *
 * <p>The store on disk is the source of truth; a catalogue is a fast view of it. Changes are
 * compare-and-set on the history's metadata version, so a clustered implementation (e.g. a Hazelcast map
 * updated by entry processors) can detect and fence a writer working from stale state. A version of 0
 * means "no history".
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

    /** Histories whose live file was last seen in {@code directory} (relative to the export, "" = root). */
    Collection<FileHistory> locatedIn(String directory);

    /** Every history (for diagnostics and tests; may be large). */
    Collection<FileHistory> all();
}
