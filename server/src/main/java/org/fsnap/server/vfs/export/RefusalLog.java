package org.fsnap.server.vfs.export;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines for refused clients, without a flood: a client refused an export is logged at INFO
 * at most once a minute per export; a client refused for its unprivileged port is logged at WARN
 * once (per export), with how to allow it.
 */
public final class RefusalLog {
    private static final Logger LOG = LoggerFactory.getLogger("fsnap.exports");
    static final long QUIET_NANOS = 60_000_000_000L;
    private static final int LIMIT = 4096;

    private record Key(InetAddress client, Path export) {
    }

    private final Map<Key, Long> notAllowed = new ConcurrentHashMap<>();
    private final Map<Key, Boolean> insecure = new ConcurrentHashMap<>();

    void notAllowed(InetAddress client, Path export, String source) {
        long now = System.nanoTime();
        Key k = new Key(client, export);
        Long last = notAllowed.get(k);
        if (last != null && now - last < QUIET_NANOS) {
            return;
        }
        if (notAllowed.size() >= LIMIT) {
            notAllowed.clear();
        }
        notAllowed.put(k, now);
        LOG.info("refused client {}: it may not mount {} (no entry of {} matches it)", client.getHostAddress(),
                export, source);
    }

    void insecurePort(InetAddress client, int port, Path export) {
        if (insecure.size() >= LIMIT) {
            insecure.clear();
        }
        if (insecure.putIfAbsent(new Key(client, export), Boolean.TRUE) == null) {
            LOG.warn("refused client {} on {}: its requests come from port {}, not below 1024, and the export is"
                    + " 'secure' (the default); add 'insecure' to the client's options to allow unprivileged"
                    + " ports (needed behind NAT, e.g. a qemu user-network guest)", client.getHostAddress(),
                    export, port);
        }
    }
}
