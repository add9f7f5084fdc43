package org.fsnap.server.xdr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** XDR encoding (RFC 4506) with the few shapes NFSv4 uses, over an oncrpc4j stream. */
public final class XdrOutput {
    private final XdrEncodingStream out;

    public XdrOutput(XdrEncodingStream out) {
        this.out = out;
    }

    public XdrOutput writeInt(int v) {
        out.xdrEncodeInt(v);
        return this;
    }

    public XdrOutput writeLong(long v) {
        out.xdrEncodeLong(v);
        return this;
    }

    public XdrOutput writeBoolean(boolean v) {
        out.xdrEncodeInt(v ? 1 : 0);
        return this;
    }

    public XdrOutput writeOpaque(byte[] b) {
        out.xdrEncodeDynamicOpaque(b);
        return this;
    }

    public XdrOutput writeOpaque(ByteBuffer b) {
        out.xdrEncodeByteBuffer(b);
        return this;
    }

    /**
     * Variable-length opaque whose bytes are sent from {@code b} itself, not copied into the
     * reply (READ data: a megabyte copied, and the reply buffer grown, per call otherwise).
     * {@code b} must not change until the reply has been sent.
     */
    public XdrOutput writeOpaqueShared(ByteBuffer b) {
        if (out instanceof Xdr xdr) {
            xdr.xdrEncodeShallowByteBuffer(b);
        } else {
            out.xdrEncodeByteBuffer(b);
        }
        return this;
    }

    /** Fixed-length opaque: no length prefix, padded to 4 bytes. */
    public XdrOutput writeFixedOpaque(byte[] b) {
        out.xdrEncodeOpaque(b, 0, b.length);
        return this;
    }

    public XdrOutput writeUtf8(String s) {
        out.xdrEncodeDynamicOpaque(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public XdrOutput writeBitmap(int[] words) {
        out.xdrEncodeInt(words.length);
        for (int w : words) {
            out.xdrEncodeInt(w);
        }
        return this;
    }

    public XdrEncodingStream stream() {
        return out;
    }
}
