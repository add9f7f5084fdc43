package org.fsnap.config;

import java.nio.file.Path;

/**
 * Everything fsnapd needs to start, after the command line (and later the config file) is read.
 *
 * @param export the directory served as the NFSv4 root
 * @param rootSquash map uid 0 to the anonymous user (the default, as knfsd)
 * @param leaseSeconds NFSv4 lease time
 * @param graceSeconds longest grace period after a restart
 * @param maxSnapshotsPerFile limit of snapshots kept for one file
 */
public record ServerOptions(Path export, ListenAddress listen, Path configFile, boolean rootSquash,
                            int anonUid, int anonGid, int leaseSeconds, int graceSeconds,
                            int maxSnapshotsPerFile) {
    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("0.0.0.0", 2049);
    public static final int DEFAULT_LEASE_SECONDS = 90;
    public static final int DEFAULT_GRACE_SECONDS = 15;
    public static final int NOBODY = 65534;

    public static ServerOptions defaults(Path export, ListenAddress listen) {
        return new ServerOptions(export, listen, null, true, NOBODY, NOBODY,
                DEFAULT_LEASE_SECONDS, DEFAULT_GRACE_SECONDS, 1000);
    }

    public ServerOptions withRootSquash(boolean squash) {
        return new ServerOptions(export, listen, configFile, squash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile);
    }

    public ServerOptions withConfigFile(Path file) {
        return new ServerOptions(export, listen, file, rootSquash, anonUid, anonGid, leaseSeconds,
                graceSeconds, maxSnapshotsPerFile);
    }

    public ServerOptions withTimes(int lease, int grace) {
        return new ServerOptions(export, listen, configFile, rootSquash, anonUid, anonGid, lease,
                grace, maxSnapshotsPerFile);
    }
}
