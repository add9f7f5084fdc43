package org.fsnap.server.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, across restarts, which client owners held a confirmed client id, so that after a
 * restart exactly those may reclaim state in the grace period (RFC 8881 section 8.4.2.1).
 * A null directory keeps nothing (no grace period is ever needed then).
 */
public final class ClientRecoveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRecoveryStore.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final Set<String> owners = new HashSet<>();

    public ClientRecoveryStore(Path directory) throws IOException {
        this.file = directory == null ? null : directory.resolve("clients");
        if (file != null) {
            Files.createDirectories(directory);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        owners.add(line.trim());
                    }
                }
            }
        }
    }

    /** The owners recorded before this start. */
    public synchronized Set<byte[]> previousOwners() {
        Set<byte[]> result = new HashSet<>();
        for (String o : owners) {
            result.add(HEX.parseHex(o));
        }
        return result;
    }

    public synchronized void add(byte[] owner) {
        if (owners.add(HEX.formatHex(owner))) {
            save();
        }
    }

    public synchronized void remove(byte[] owner) {
        if (owners.remove(HEX.formatHex(owner))) {
            save();
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling("clients.tmp");
            Files.write(tmp, List.copyOf(owners), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot record client owners for reclaim after restart: {}", e.toString());
        }
    }
}
