package org.fsnap.server.testclient;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds XDR (RFC 4506) by hand: big-endian, 4-byte aligned. Also writes deliberately bad data. */
public final class XdrWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public XdrWriter writeInt(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public XdrWriter writeLong(long v) {
        return writeInt((int) (v >>> 32)).writeInt((int) v);
    }

    public XdrWriter writeBoolean(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    /** Variable-length opaque: length, bytes, padding. */
    public XdrWriter writeOpaque(byte[] b) {
        writeInt(b.length);
        return writeFixedOpaque(b);
    }

    /** Fixed-length opaque: bytes and padding, no length. */
    public XdrWriter writeFixedOpaque(byte[] b) {
        out.writeBytes(b);
        for (int i = b.length; i % 4 != 0; i++) {
            out.write(0);
        }
        return this;
    }

    public XdrWriter writeString(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    public XdrWriter writeBitmap(int... words) {
        writeInt(words.length);
        for (int w : words) {
            writeInt(w);
        }
        return this;
    }

    /** Bytes as they are: no length, no padding (for malformed input). */
    public XdrWriter writeRaw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
