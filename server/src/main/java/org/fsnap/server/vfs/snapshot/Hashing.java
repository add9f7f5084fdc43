package org.fsnap.server.vfs.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hashes behind virtual fileids, READDIR cookies, change attributes and the short
 * name digests in virtual handles. Deterministic across runs and machines (no seeds), so
 * everything derived from them is stable across restarts. Not cryptographic: collisions only
 * have to be improbable, and every use that matters re-checks the full name.
 */
public final class Hashing {
    /** Virtual fileids have this bit set; live inode numbers on Linux never do. */
    public static final long VIRTUAL_FILEID_BIT = 1L << 63;

    private static final long SEED = 0x6673_6e61_7000_0001L; // "fsnap" and a version

    private Hashing() {
    }

    /** A streaming hash: feed values, then {@link #value()}. */
    public static final class Hasher {
        private long h = SEED;

        public Hasher add(long v) {
            h = mix(h ^ mix(v + 0x9e37_79b9_7f4a_7c15L));
            return this;
        }

        public Hasher add(String s) {
            return add(s.getBytes(StandardCharsets.UTF_8));
        }

        public Hasher add(byte[] bytes) {
            add(bytes.length);
            int i = 0;
            for (; i + 8 <= bytes.length; i += 8) {
                long w = 0;
                for (int j = 0; j < 8; j++) {
                    w = (w << 8) | (bytes[i + j] & 0xffL);
                }
                add(w);
            }
            long tail = 0;
            for (; i < bytes.length; i++) {
                tail = (tail << 8) | (bytes[i] & 0xffL);
            }
            return add(tail);
        }

        public long value() {
            return mix(h);
        }
    }

    public static Hasher hasher() {
        return new Hasher();
    }

    /** The splitmix64 finaliser: a bijection that spreads every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    /** A fileid in the virtual range: high bit set, never 0 in the low bits. */
    public static long virtualFileId(long hash) {
        long low = hash & ~VIRTUAL_FILEID_BIT;
        return VIRTUAL_FILEID_BIT | (low == 0 ? 1 : low);
    }

    /**
     * A READDIR cookie for a name: 62 bits, at least 3 (0, 1 and 2 are reserved by NFSv4),
     * so listings can walk in cookie order and a cookie stays valid whatever else changes.
     */
    public static long cookieOf(String name) {
        long c = hasher().add(name).value() >>> 2;
        return c < 3 ? c + 3 : c;
    }

    /** 64-bit digest of a name, as stored in handles too short to carry the name. */
    public static long nameDigest(String name) {
        return hasher().add(name).value();
    }
}
