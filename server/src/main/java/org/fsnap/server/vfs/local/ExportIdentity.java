package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export's persistent secret and the identifiers derived from it.
 *
 * <p>The secret lives in a {@code trusted.*} xattr on the export root: it survives restarts
 * (so handles do), travels with the directory, and no NFS client can read it (clients only
 * ever see {@code user.*} attributes, and only root may read {@code trusted.*} locally). It keys
 * the MAC in every handle, so a forged handle, or one minted for another export, is refused
 * before the kernel ever sees it.
 */
final class ExportIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(ExportIdentity.class);
    static final String KEY_XATTR = "trusted.fsnap.handle-key";
    private static final int KEY_BYTES = 32;

    private final byte[] key;
    private final int exportId;
    private final long fsid;
    private final long cookieSeed;
    private final boolean secret;

    ExportIdentity(byte[] key, boolean secret) {
        this.key = key.clone();
        this.secret = secret;
        byte[] d = sha256(key, "fsnap export identity".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(d);
        this.exportId = b.getInt();
        this.fsid = b.getLong() & Long.MAX_VALUE;
        this.cookieSeed = b.getLong();
    }

    /** Reads the export key, creating it on first use; falls back to a derived, public key. */
    static ExportIdentity load(int rootFd, Libc.KernelHandle rootHandle, Libc.StatFs statFs) {
        String root = Libc.procPath(rootFd);
        try {
            return new ExportIdentity(readOrCreate(root), true);
        } catch (ErrnoException e) {
            // No trusted xattrs here (unusual: ext4, XFS, btrfs and tmpfs all have them). Handles
            // then still persist and name their export, but are not forgery-proof.
            LOG.warn("cannot keep the handle key in {} on the export root ({}); using a key "
                    + "derived from the filesystem id: handles are not authenticated", KEY_XATTR,
                    e.getMessage());
            ByteBuffer seed = ByteBuffer.allocate(12 + rootHandle.bytes().length);
            seed.putInt(statFs.fsid0()).putInt(statFs.fsid1()).putInt(rootHandle.type())
                    .put(rootHandle.bytes());
            return new ExportIdentity(sha256(seed.array(),
                    "fsnap derived key".getBytes(StandardCharsets.US_ASCII)), false);
        }
    }

    private static byte[] readOrCreate(String root) throws ErrnoException {
        for (int attempt = 0; ; attempt++) {
            try {
                byte[] k = Libc.getxattr(root, KEY_XATTR);
                if (k.length == KEY_BYTES) {
                    return k;
                }
                throw new ErrnoException("handle key of " + k.length + " bytes", Errno.EINVAL);
            } catch (ErrnoException e) {
                if (!e.is(Errno.ENODATA) || attempt > 2) {
                    throw e;
                }
            }
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                Libc.setxattr(root, KEY_XATTR, fresh, Libc.XATTR_CREATE);
                LOG.info("created a new file handle key on the export root");
                return fresh;
            } catch (ErrnoException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw e;
                }
                // another instance created it first: read theirs
            }
        }
    }

    private static byte[] sha256(byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] key() {
        return key.clone();
    }

    int exportId() {
        return exportId;
    }

    /** Constant for the export across restarts: what clients see as fsid. */
    long fsid() {
        return fsid;
    }

    long cookieSeed() {
        return cookieSeed;
    }

    /** True when handles carry a MAC under a secret key. */
    boolean secret() {
        return secret;
    }
}
