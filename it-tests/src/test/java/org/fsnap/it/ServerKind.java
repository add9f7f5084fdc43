package org.fsnap.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * The servers the end-to-end tests run against: fsnapd, the server under test, and nfs-ganesha, the
 * reference that shows a guest script's expectations hold for a working NFS server. Which ones run is
 * chosen with {@code -Dfsnap.it.servers=fsnapd,ganesha} (the default).
 */
public enum ServerKind {
    FSNAPD,
    GANESHA;

    /** NFS minor versions every end-to-end test runs with. */
    public static final List<String> VERSIONS = List.of("4.1", "4.2");

    public Optional<String> unavailableReason() {
        return switch (this) {
            case FSNAPD -> Optional.empty();
            case GANESHA -> GaneshaProcess.unavailableReason();
        };
    }

    /** Skips the calling test, loudly, when this server cannot run here. */
    public void assumeAvailable() {
        unavailableReason().ifPresent(ItEnv::skip);
    }

    /** Starts this server on a free loopback port, serving EXPORT. */
    public NfsServer start(String name, Path export, ServerOptions options) {
        return switch (this) {
            case FSNAPD -> FsnapdProcess.start(name, export, options);
            case GANESHA -> GaneshaProcess.start(name, export, options);
        };
    }

    /**
     * Starts this server set up so that clients can reclaim their state after a restart. (ganesha
     * needs a grace period for that; fsnapd's is its own business.)
     */
    public NfsServer startForRestart(String name, Path export, ServerOptions options) {
        return switch (this) {
            case FSNAPD -> FsnapdProcess.start(name, export, options);
            case GANESHA -> GaneshaProcess.start(name, export, options, 15);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The servers chosen with -Dfsnap.it.servers. */
    public static List<ServerKind> selected() {
        String prop = System.getProperty("fsnap.it.servers", "fsnapd,ganesha");
        List<ServerKind> out = new ArrayList<>();
        for (String s : prop.split("[,\\s]+")) {
            if (!s.isBlank()) {
                out.add(valueOf(s.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return out;
    }

    /** (server, vers) for every selected server and both NFS minor versions. */
    public static Stream<Arguments> withVersions() {
        return selected().stream().flatMap(k -> VERSIONS.stream().map(v -> Arguments.of(k, v)));
    }
}
