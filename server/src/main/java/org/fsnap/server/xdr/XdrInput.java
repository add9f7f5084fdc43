package org.fsnap.server.xdr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.dcache.oncrpc4j.xdr.BadXdrOncRpcException;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.glassfish.grizzly.Buffer;

/**
 * Bounded XDR decoding of untrusted input (RFC 4506). Every variable-length item is checked
 * against a caller-given maximum before anything is allocated, so an absurd length field
 * costs nothing but an error.
 */
public final class XdrInput {
    /** Largest bitmap4 we accept: attribute numbers up to 255 are far beyond what exists. */
    public static final int MAX_BITMAP_WORDS = 8;

    private final XdrDecodingStream in;

    public XdrInput(XdrDecodingStream in) {
        this.in = in;
    }

    public int readInt() throws XdrException {
        try {
            return in.xdrDecodeInt();
        } catch (BadXdrOncRpcException | RuntimeException e) {
            throw truncated(e);
        }
    }

    public long readLong() throws XdrException {
        try {
            return in.xdrDecodeLong();
        } catch (BadXdrOncRpcException | RuntimeException e) {
            throw truncated(e);
        }
    }

    private static XdrException truncated(Exception e) {
        return new XdrException("truncated arguments: " + e);
    }

    public boolean readBoolean() throws XdrException {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new XdrException("bad boolean " + v);
        }
        return v == 1;
    }

    /** A length prefix in [0, max]. */
    public int readLength(int max) throws XdrException {
        int len = readInt();
        if (len < 0 || len > max) {
            throw new XdrException("length " + Integer.toUnsignedString(len)
                    + " exceeds " + max);
        }
        return len;
    }

    public byte[] readOpaque(int max) throws XdrException {
        return readFixedOpaque(readLength(max));
    }

    public byte[] readFixedOpaque(int len) throws XdrException {
        byte[] b = new byte[len];
        if (len > 0) {
            try {
                in.xdrDecodeOpaque(b, 0, len);
            } catch (BadXdrOncRpcException | RuntimeException e) {
                throw truncated(e);
            }
        }
        return b;
    }

    /**
     * A variable-length opaque of at most {@code max} bytes, for bulk data: in a buffer of
     * {@link OpaqueBufferPool#SHARED}, copied once from the request. The caller closes the lease.
     */
    public OpaqueBufferPool.Lease readOpaqueBuffer(int max) throws XdrException {
        int len = readLength(max);
        int padded = len + (-len & 3);
        OpaqueBufferPool.Lease lease = OpaqueBufferPool.SHARED.take(len);
        try {
            ByteBuffer dst = lease.buffer();
            if (in instanceof Xdr xdr) {
                // oncrpc4j decodes relative to the request's own (Grizzly) buffer
                Buffer src = xdr.asBuffer();
                if (src.remaining() < padded) {
                    throw new XdrException("truncated arguments: opaque of " + len + " bytes, "
                            + src.remaining() + " left");
                }
                src.get(dst);
                src.position(src.position() + padded - len);
            } else if (dst.hasArray()) {
                in.xdrDecodeOpaque(dst.array(), dst.arrayOffset(), len);
                dst.position(len);
            } else {
                byte[] b = new byte[len];
                in.xdrDecodeOpaque(b, 0, len);
                dst.put(b);
            }
            dst.flip();
            return lease;
        } catch (BadXdrOncRpcException | RuntimeException e) {
            lease.close();
            throw truncated(e);
        } catch (XdrException e) {
            lease.close();
            throw e;
        }
    }

    /** A utf8str_cs / component4 kept as raw bytes decoded leniently; validated by the op. */
    public String readUtf8(int max) throws XdrException {
        return new String(readOpaque(max), StandardCharsets.UTF_8);
    }

    /** The raw bytes of a utf8 string, when the op must check the encoding itself. */
    public byte[] readUtf8Bytes(int max) throws XdrException {
        return readOpaque(max);
    }

    public int[] readBitmap() throws XdrException {
        int n = readLength(MAX_BITMAP_WORDS);
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = readInt();
        }
        return words;
    }

    /** The underlying stream, for nested decoders that are already bounded. */
    public XdrDecodingStream stream() {
        return in;
    }
}
