package org.fsnap.server.testclient;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads XDR from a byte array, checking every length against what is left, so a malformed
 * reply fails with {@link XdrFormatException} instead of allocating or reading garbage.
 */
public final class XdrReader {
    private final ByteBuffer buf;

    public XdrReader(byte[] data) {
        this(data, 0, data.length);
    }

    public XdrReader(byte[] data, int offset, int length) {
        this.buf = ByteBuffer.wrap(data, offset, length).slice();
    }

    /** Thrown when the data does not decode. */
    public static final class XdrFormatException extends RuntimeException {
        public XdrFormatException(String message) {
            super(message);
        }
    }

    private void need(int n) {
        if (n < 0 || buf.remaining() < n) {
            throw new XdrFormatException("need " + Integer.toUnsignedString(n) + " bytes, "
                    + buf.remaining() + " left at " + buf.position());
        }
    }

    public int readInt() {
        need(4);
        return buf.getInt();
    }

    public long readLong() {
        need(8);
        return buf.getLong();
    }

    public boolean readBoolean() {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new XdrFormatException("bad boolean " + v);
        }
        return v == 1;
    }

    public byte[] readOpaque() {
        return readFixedOpaque(readInt());
    }

    public byte[] readFixedOpaque(int len) {
        int padded = len + ((4 - (len & 3)) & 3);
        need(len);
        need(padded);
        byte[] b = new byte[len];
        buf.get(b);
        buf.position(buf.position() + padded - len);
        return b;
    }

    public String readString() {
        return new String(readOpaque(), StandardCharsets.UTF_8);
    }

    public int[] readBitmap() {
        int n = readInt();
        if (n < 0 || n > buf.remaining() / 4) {
            throw new XdrFormatException("bitmap of " + Integer.toUnsignedString(n) + " words");
        }
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = buf.getInt();
        }
        return words;
    }

    public void skip(int bytes) {
        need(bytes);
        buf.position(buf.position() + bytes);
    }

    public int position() {
        return buf.position();
    }

    public int remaining() {
        return buf.remaining();
    }

    public boolean hasRemaining() {
        return buf.hasRemaining();
    }

    /** The bytes between two positions of this reader. */
    public byte[] slice(int from, int to) {
        byte[] b = new byte[to - from];
        buf.get(from, b);
        return b;
    }

    public byte[] rest() {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }
}
