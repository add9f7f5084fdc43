package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;

/**
 * The wire form of a live object's file handle (format version 1):
 *
 * <pre>
 *  0      version (1)
 *  1      kind (0 = live object; decorators wrap handles with other kinds)
 *  2..5   export id (big-endian), so a handle from another export is told apart cheaply
 *  6..9   kernel handle_type (big-endian)
 *  10..   kernel f_handle bytes (at most 110)
 *  last 8 HMAC-SHA256 over everything before it, truncated
 * </pre>
 *
 * The MAC makes handles unforgeable: only bytes this export minted reach open_by_handle_at.
 */
final class HandleCodec {
    static final byte VERSION = 1;
    static final byte KIND_LIVE = 0;
    static final int HEADER = 10;
    static final int MAC_BYTES = 8;
    static final int MAX_KERNEL_BYTES = Inode.MAX_HANDLE_SIZE - HEADER - MAC_BYTES;

    private final int exportId;
    private final Mac prototype;
    /** One Mac per thread: a clone per handle cost as much as the MAC itself. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::cloneOfPrototype);

    HandleCodec(ExportIdentity identity) {
        this.exportId = identity.exportId();
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(identity.key(), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kernel handle as decoded from our wire form. */
    record Decoded(int type, byte[] bytes) {
    }

    byte[] encode(Libc.KernelHandle kh) {
        byte[] fh = kh.bytes();
        if (fh.length > MAX_KERNEL_BYTES) {
            throw new IllegalArgumentException("kernel handle of " + fh.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + fh.length + MAC_BYTES);
        b.put(VERSION).put(KIND_LIVE).putInt(exportId).putInt(kh.type()).put(fh);
        byte[] out = b.array();
        byte[] mac = mac(out, HEADER + fh.length);
        System.arraycopy(mac, 0, out, HEADER + fh.length, MAC_BYTES);
        return out;
    }

    Decoded decode(byte[] h) throws VfsException {
        if (h.length < HEADER + MAC_BYTES + 1 || h.length > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.BADHANDLE, "handle of " + h.length + " bytes");
        }
        if (h[0] != VERSION || h[1] != KIND_LIVE) {
            throw new VfsException(VfsError.BADHANDLE,
                    "handle version " + h[0] + " kind " + h[1] + " is not a live local handle");
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        if (b.getInt(2) != exportId) {
            // knfsd answers STALE for a handle naming an export it does not (any longer) serve
            throw new VfsException(VfsError.STALE, "handle of another export");
        }
        int body = h.length - MAC_BYTES;
        byte[] expected = mac(h, body);
        if (!MessageDigest.isEqual(Arrays.copyOf(expected, MAC_BYTES),
                Arrays.copyOfRange(h, body, h.length))) {
            throw new VfsException(VfsError.BADHANDLE, "handle MAC mismatch");
        }
        byte[] fh = Arrays.copyOfRange(h, HEADER, body);
        return new Decoded(b.getInt(6), fh);
    }

    private byte[] mac(byte[] data, int len) {
        Mac m = macs.get();
        m.update(data, 0, len);
        return m.doFinal(); // also resets m for the thread's next handle
    }

    private Mac cloneOfPrototype() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
