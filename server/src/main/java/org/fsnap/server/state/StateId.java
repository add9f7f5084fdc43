package org.fsnap.server.state;

import java.util.Arrays;
import java.util.HexFormat;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/** stateid4 of RFC 8881 section 8.2: a sequence id and 12 opaque bytes. */
public record StateId(int seqid, byte[] other) {
    public static final int OTHER_SIZE = 12;

    /** The anonymous stateid: all zeros. */
    public static final StateId ANONYMOUS = new StateId(0, new byte[OTHER_SIZE]);
    /** The READ bypass stateid: all ones. */
    public static final StateId READ_BYPASS = new StateId(-1, filled((byte) 0xff));
    /** "The current stateid" (RFC 8881 section 16.2.3.1.2): seqid 1, other zeros. */
    public static final StateId CURRENT = new StateId(1, new byte[OTHER_SIZE]);
    /** The invalid stateid: seqid NFS4_UINT32_MAX, other zeros. */
    public static final StateId INVALID = new StateId(-1, new byte[OTHER_SIZE]);

    public StateId {
        if (other.length != OTHER_SIZE) {
            throw new IllegalArgumentException("stateid other of " + other.length + " bytes");
        }
        other = other.clone();
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[OTHER_SIZE];
        Arrays.fill(a, b);
        return a;
    }

    public static StateId decode(XdrInput in) throws XdrException {
        int seq = in.readInt();
        return new StateId(seq, in.readFixedOpaque(OTHER_SIZE));
    }

    public void encode(XdrOutput out) {
        out.writeInt(seqid).writeFixedOpaque(other);
    }

    @Override
    public byte[] other() {
        return other.clone();
    }

    public boolean sameOther(StateId o) {
        return Arrays.equals(other, o.other);
    }

    public boolean isSpecial() {
        return Arrays.equals(other, ANONYMOUS.other) || Arrays.equals(other, READ_BYPASS.other);
    }

    public boolean isCurrent() {
        return seqid == 1 && Arrays.equals(other, CURRENT.other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateId s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return 31 * seqid + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        return "[" + Integer.toUnsignedString(seqid) + ":" + HexFormat.of().formatHex(other) + "]";
    }
}
