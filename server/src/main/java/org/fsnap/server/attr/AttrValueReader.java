package org.fsnap.server.attr;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;

/**
 * Reads XDR items from an attr_vals opaque. Running past the end, or a length beyond its
 * bound, is NFS4ERR_BADXDR (the values do not match the bitmap).
 */
final class AttrValueReader {
    private final byte[] b;
    private int pos;

    AttrValueReader(byte[] b) {
        this.b = b;
    }

    private void need(int n) throws NfsException {
        if (n < 0 || pos + n > b.length) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "attr_vals too short");
        }
    }

    int readInt() throws NfsException {
        need(4);
        int p = pos;
        pos += 4;
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8
                | (b[p + 3] & 0xff);
    }

    long readLong() throws NfsException {
        long hi = readInt() & 0xffffffffL;
        return hi << 32 | (readInt() & 0xffffffffL);
    }

    boolean readBoolean() throws NfsException {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "bad boolean in attr_vals");
        }
        return v == 1;
    }

    /** A variable-length opaque of at most {@code max} bytes (padding skipped). */
    byte[] readOpaque(int max) throws NfsException {
        int n = readInt();
        if (n < 0 || n > max) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "attribute value of " + n + " bytes");
        }
        need(XdrBuffer.padded(n));
        byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + n);
        pos += XdrBuffer.padded(n);
        return v;
    }

    /** Skips {@code n} bytes (already padded). */
    void skip(int n) throws NfsException {
        need(n);
        pos += n;
    }

    int position() {
        return pos;
    }

    byte[] bytes() {
        return b;
    }

    boolean atEnd() {
        return pos == b.length;
    }

    int remaining() {
        return b.length - pos;
    }
}
