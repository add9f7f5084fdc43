package org.fsnap.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything fsnapd needs to start, after the command line and the config file are read
 * (command-line flags win over the file, the file over the defaults).
 *
 * @param export the directory served as the NFSv4 root
 * @param configFile the configuration file read, or null
 * @param rootSquash map uid 0 to the anonymous user (the default, as knfsd)
 * @param leaseSeconds NFSv4 lease time
 * @param graceSeconds longest grace period after a restart
 * @param maxSnapshotsPerFile limit of snapshots kept for one file
 * @param exportsFile the exports file ({@code --exports}, or {@code exports} in the config file), or null
 * @param exportTable the exports file's exports, or null for one export to every client with the
 *                    rootSquash/anonUid/anonGid above
 * @param logLevel level of the server log: error, warn, info, debug or trace
 * @param audit whether snapshot operations are logged on {@code fsnap.audit}
 * @param metricsListen where to serve Prometheus metrics, if anywhere
 * @param cluster the cluster settings, if any
 * @param schedules the automatic snapshot schedules
 */
public record ServerOptions(Path export, ListenAddress listen, Path configFile, boolean rootSquash,
                            int anonUid, int anonGid, int leaseSeconds, int graceSeconds,
                            int maxSnapshotsPerFile, Path exportsFile, String logLevel, boolean audit,
                            Optional<ListenAddress> metricsListen, Optional<ClusterSettings> cluster,
                            List<Schedule> schedules, ExportTable exportTable) {
    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("0.0.0.0", 2049);
    public static final int DEFAULT_LEASE_SECONDS = 90;
    public static final int DEFAULT_GRACE_SECONDS = 15;
    public static final int NOBODY = 65534;
    public static final String DEFAULT_LOG_LEVEL = "info";

    public ServerOptions {
        schedules = List.copyOf(schedules);
    }

    public static ServerOptions defaults(Path export, ListenAddress listen) {
        return new ServerOptions(export, listen, null, true, NOBODY, NOBODY,
                DEFAULT_LEASE_SECONDS, DEFAULT_GRACE_SECONDS, ConfigFile.DEFAULT_MAX_SNAPSHOTS_PER_FILE,
                null, DEFAULT_LOG_LEVEL, true, Optional.empty(), Optional.empty(), List.of(), null);
    }

    public ServerOptions withRootSquash(boolean squash) {
        return new ServerOptions(export, listen, configFile, squash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, cluster,
                schedules, exportTable);
    }

    public ServerOptions withConfigFile(Path file) {
        return new ServerOptions(export, listen, file, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, cluster,
                schedules, exportTable);
    }

    public ServerOptions withTimes(int lease, int grace) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, lease,
                grace, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, cluster,
                schedules, exportTable);
    }

    public ServerOptions withAnonymous(int uid, int gid) {
        return new ServerOptions(export, listen, configFile, rootSquash, uid, gid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, cluster,
                schedules, exportTable);
    }

    public ServerOptions withMaxSnapshotsPerFile(int max) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, max, exportsFile, logLevel, audit, metricsListen, cluster, schedules, exportTable);
    }

    /** Serve the exports of an exports file (read from {@code file}). */
    public ServerOptions withExports(Path file, ExportTable table) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, file, logLevel, audit, metricsListen, cluster, schedules,
                table);
    }

    public ServerOptions withLogging(String level, boolean auditOn) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, level, auditOn, metricsListen, cluster,
                schedules, exportTable);
    }

    public ServerOptions withMetrics(Optional<ListenAddress> address) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, address, cluster, schedules, exportTable);
    }

    public ServerOptions withCluster(Optional<ClusterSettings> settings) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, settings,
                schedules, exportTable);
    }

    public ServerOptions withSchedules(List<Schedule> list) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile, exportsFile, logLevel, audit, metricsListen, cluster, list, exportTable);
    }
}
