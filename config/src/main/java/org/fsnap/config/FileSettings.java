package org.fsnap.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a configuration file sets; every setting is optional, so the command line can override
 * it and {@link ServerOptions} supplies the defaults.
 */
public record FileSettings(Path source, Optional<ListenAddress> listen, Optional<Path> export,
                           Optional<Path> exportsFile, Optional<Boolean> rootSquash, OptionalInt anonUid,
                           OptionalInt anonGid, OptionalInt leaseSeconds, OptionalInt graceSeconds,
                           OptionalInt maxSnapshotsPerFile, Optional<String> logLevel, Optional<Boolean> audit,
                           Optional<ListenAddress> metricsListen, Optional<ClusterSettings> cluster,
                           List<Schedule> schedules) {
    public FileSettings {
        schedules = List.copyOf(schedules);
    }
}
