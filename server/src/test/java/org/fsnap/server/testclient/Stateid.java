package org.fsnap.server.testclient;

import java.util.Arrays;
import java.util.HexFormat;

/** stateid4: seqid and 12 opaque bytes (RFC 8881 section 8.2). */
public record Stateid(int seqid, byte[] other) {
    public static final Stateid ANONYMOUS = new Stateid(0, new byte[12]);
    public static final Stateid BYPASS = new Stateid(-1, filled((byte) 0xff));
    public static final Stateid CURRENT = new Stateid(1, new byte[12]);
    public static final Stateid INVALID = new Stateid(-1, new byte[12]);

    public Stateid {
        if (other.length != 12) {
            throw new IllegalArgumentException("stateid other of " + other.length + " bytes");
        }
        other = other.clone();
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[12];
        Arrays.fill(a, b);
        return a;
    }

    public static Stateid decode(XdrReader r) {
        int seqid = r.readInt();
        return new Stateid(seqid, r.readFixedOpaque(12));
    }

    public void encode(XdrWriter w) {
        w.writeInt(seqid).writeFixedOpaque(other);
    }

    public Stateid withSeqid(int s) {
        return new Stateid(s, other);
    }

    @Override
    public byte[] other() {
        return other.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stateid s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return 31 * seqid + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        return "stateid(" + seqid + ":" + HexFormat.of().formatHex(other) + ")";
    }
}
