package org.fsnap.server.attr;

import java.util.Arrays;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * fattr4 of RFC 8881 section 3.3.8: the attribute bitmap and the XDR-encoded values of the
 * attributes it names, in ascending bit order, as one opaque.
 */
public final class Fattr4 {
    /** Largest attr_vals accepted from a client; far beyond anything settable. */
    public static final int MAX_ATTR_VALS = 64 * 1024;

    public static final Fattr4 EMPTY = new Fattr4(Bitmap4.EMPTY, new byte[0]);

    private final Bitmap4 mask;
    private final byte[] values;

    public Fattr4(Bitmap4 mask, byte[] values) {
        this.mask = mask;
        this.values = values.clone();
    }

    /** Bounded decoding: at most {@link XdrInput#MAX_BITMAP_WORDS} and {@link #MAX_ATTR_VALS}. */
    public static Fattr4 decode(XdrInput in) throws XdrException {
        Bitmap4 mask = Bitmap4.decode(in);
        byte[] vals = in.readOpaque(MAX_ATTR_VALS);
        return new Fattr4(mask, vals, true);
    }

    private Fattr4(Bitmap4 mask, byte[] values, boolean owned) {
        this.mask = mask;
        this.values = values;
    }

    static Fattr4 wrap(Bitmap4 mask, byte[] values) {
        return new Fattr4(mask, values, true);
    }

    public void encode(XdrOutput out) {
        mask.encode(out);
        out.writeOpaque(values);
    }

    public void encode(XdrBuffer out) {
        mask.encode(out);
        out.putOpaque(values);
    }

    public Bitmap4 mask() {
        return mask;
    }

    /** The attr_vals bytes (a copy). */
    public byte[] values() {
        return values.clone();
    }

    byte[] valuesNoCopy() {
        return values;
    }

    public int valuesLength() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fattr4 f && mask.equals(f.mask) && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return mask.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "fattr4" + mask + "[" + values.length + " bytes]";
    }
}
