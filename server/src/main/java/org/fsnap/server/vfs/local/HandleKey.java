package org.fsnap.server.vfs.local;

import java.util.Arrays;
import java.util.HexFormat;

/** Handle bytes as a map key: compared by content, hash computed once. Never mutated. */
final class HandleKey {
    private final byte[] bytes;
    private final int hash;

    /** Takes ownership of {@code bytes}: callers pass a private copy. */
    HandleKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandleKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
