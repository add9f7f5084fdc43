package org.fsnap.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.fsnap.snapshot.catalog.LocalSnapshotCatalog;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LocalFileLocks;

/**
 * Settings of a {@link SnapshotEngine}; build with {@link #builder(Path)}.
 *
 * @param exportRoot          the exported directory; every live path must be inside it
 * @param storeDirectory      where snapshots live; default {@code exportRoot/.fsnap-store}. Must be on the
 *                            export's filesystem for reflinks to work
 * @param maxSnapshotsPerFile past this many, create fails with {@link SnapshotLimitException}
 * @param identityXattr       the xattr holding a file's identity; {@code trusted.*} needs root
 *                            (CAP_SYS_ADMIN) and is invisible to users and to NFS clients
 * @param forcedStrategy      use this clone strategy instead of probing (tests, or to refuse reflinks)
 * @param compactionSlack     a history log is compacted when it holds more than
 *                            {@code 2 × snapshots + compactionSlack} records
 * @param sharedStore         several engines (nodes of a cluster, each with cluster-wide {@code locks}
 *                            and {@code catalog}) use the store at once: it is locked shared instead of
 *                            exclusively, recovery repairs each history only under its history lock, and a
 *                            history whose lock's previous holder failed is re-read from the store
 */
public record SnapshotEngineConfig(Path exportRoot, Optional<Path> storeDirectory, int maxSnapshotsPerFile,
                                   String identityXattr, Optional<CloneStrategy> forcedStrategy, Clock clock,
                                   FileLocks locks, SnapshotCatalog catalog, int compactionSlack,
                                   boolean sharedStore) {

    public static final int DEFAULT_MAX_SNAPSHOTS_PER_FILE = 1000;
    public static final String DEFAULT_IDENTITY_XATTR = "trusted.fsnap.id";

    public SnapshotEngineConfig {
        Objects.requireNonNull(exportRoot, "exportRoot");
        Objects.requireNonNull(storeDirectory, "storeDirectory");
        Objects.requireNonNull(identityXattr, "identityXattr");
        Objects.requireNonNull(forcedStrategy, "forcedStrategy");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(catalog, "catalog");
        if (maxSnapshotsPerFile < 1) {
            throw new IllegalArgumentException("maxSnapshotsPerFile must be at least 1");
        }
        if (compactionSlack < 0) {
            throw new IllegalArgumentException("compactionSlack must not be negative");
        }
    }

    public static Builder builder(Path exportRoot) {
        return new Builder(exportRoot);
    }

    /** Fluent construction with the defaults above. */
    public static final class Builder {
        private final Path exportRoot;
        private Path storeDirectory;
        private int maxSnapshotsPerFile = DEFAULT_MAX_SNAPSHOTS_PER_FILE;
        private String identityXattr = DEFAULT_IDENTITY_XATTR;
        private CloneStrategy forcedStrategy;
        private Clock clock = Clock.systemUTC();
        private FileLocks locks;
        private SnapshotCatalog catalog;
        private int compactionSlack = 64;
        private boolean sharedStore;

        private Builder(Path exportRoot) {
            this.exportRoot = exportRoot;
        }

        public Builder storeDirectory(Path directory) {
            this.storeDirectory = directory;
            return this;
        }

        public Builder maxSnapshotsPerFile(int max) {
            this.maxSnapshotsPerFile = max;
            return this;
        }

        public Builder identityXattr(String name) {
            this.identityXattr = name;
            return this;
        }

        public Builder forcedStrategy(CloneStrategy strategy) {
            this.forcedStrategy = strategy;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder locks(FileLocks locks) {
            this.locks = locks;
            return this;
        }

        public Builder catalog(SnapshotCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder compactionSlack(int slack) {
            this.compactionSlack = slack;
            return this;
        }

        /** See {@link SnapshotEngineConfig#sharedStore()}; needs cluster-wide locks and catalogue. */
        public Builder sharedStore(boolean shared) {
            this.sharedStore = shared;
            return this;
        }

        public SnapshotEngineConfig build() {
            return new SnapshotEngineConfig(exportRoot, Optional.ofNullable(storeDirectory), maxSnapshotsPerFile,
                    identityXattr, Optional.ofNullable(forcedStrategy), clock,
                    locks != null ? locks : new LocalFileLocks(),
                    catalog != null ? catalog : new LocalSnapshotCatalog(), compactionSlack, sharedStore);
        }
    }
}
