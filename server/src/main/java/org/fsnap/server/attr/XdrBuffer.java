package org.fsnap.server.attr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fsnap.server.xdr.XdrOutput;

/**
 * A growable in-memory XDR writer (RFC 4506 big-endian, 4-byte aligned). Used to build
 * attr_vals and READDIR entry lists where sizes must be known before they go on the wire;
 * supports patching an earlier word and cutting back to a mark.
 */
public final class XdrBuffer {
    private byte[] buf;
    private int len;

    public XdrBuffer() {
        this(256);
    }

    public XdrBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public XdrBuffer putInt(int v) {
        ensure(4);
        byte[] b = buf;
        int p = len;
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        len = p + 4;
        return this;
    }

    public XdrBuffer putLong(long v) {
        putInt((int) (v >>> 32));
        return putInt((int) v);
    }

    public XdrBuffer putBoolean(boolean v) {
        return putInt(v ? 1 : 0);
    }

    /** Variable-length opaque: length, bytes, zero padding. */
    public XdrBuffer putOpaque(byte[] b) {
        putInt(b.length);
        return putFixedOpaque(b);
    }

    /** Fixed-length opaque: bytes and zero padding, no length. */
    public XdrBuffer putFixedOpaque(byte[] b) {
        int padded = padded(b.length);
        ensure(padded);
        System.arraycopy(b, 0, buf, len, b.length);
        // the array may hold bytes from before a truncate(): pad explicitly
        for (int i = len + b.length; i < len + padded; i++) {
            buf[i] = 0;
        }
        len += padded;
        return this;
    }

    public XdrBuffer putUtf8(String s) {
        return putOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends bytes already in XDR form (length a multiple of 4). */
    public XdrBuffer putRaw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** Overwrites the word at {@code position} (which must already be written). */
    public void setInt(int position, int v) {
        if (position < 0 || position + 4 > len) {
            throw new IndexOutOfBoundsException(position);
        }
        buf[position] = (byte) (v >>> 24);
        buf[position + 1] = (byte) (v >>> 16);
        buf[position + 2] = (byte) (v >>> 8);
        buf[position + 3] = (byte) v;
    }

    /** Bytes written so far; also a mark for {@link #truncate}. */
    public int position() {
        return len;
    }

    /** Drops everything written after {@code mark}. */
    public void truncate(int mark) {
        if (mark < 0 || mark > len) {
            throw new IndexOutOfBoundsException(mark);
        }
        len = mark;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public byte[] toByteArray(int from) {
        return Arrays.copyOfRange(buf, from, len);
    }

    /** Writes the content as raw XDR (no length prefix). */
    public void writeTo(XdrOutput out) {
        out.stream().xdrEncodeOpaque(buf, 0, len);
    }

    /** XDR size of {@code n} bytes of opaque data, padding included. */
    public static int padded(int n) {
        return (n + 3) & ~3;
    }
}
