package org.fsnap.server.ops.attribute;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fsnap.server.attr.AttributeId;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.Fattr4Encoder;
import org.fsnap.server.attr.XdrBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.Session;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * READDIR (RFC 8881 section 18.23).
 *
 * <p>Cookies and the cookie verifier come from the filesystem ({@link VirtualFileSystem#list}).
 * Cookie 0 starts at the beginning (its verifier is ignored); cookies 1 and 2 are reserved
 * (NFS4ERR_BAD_COOKIE); a nonzero cookie with a nonzero verifier other than the directory's
 * current one is NFS4ERR_NOT_SAME.
 *
 * <p>Sizes: {@code maxcount} bounds the whole READDIR4resok (verifier, entries with their
 * "value follows" words, the terminating word and eof); it is further capped by the session's
 * maximum response size and {@link #MAX_REPLY_BYTES}. If not even one entry fits,
 * NFS4ERR_TOOSMALL. {@code dircount} (0 = no limit) bounds the cookie and name bytes of the
 * entries (8 + 4 + padded name each), as a hint: the first entry is always returned.
 *
 * <p>An entry whose attributes cannot be read is sent with just rdattr_error when the
 * request asks for rdattr_error; otherwise the whole READDIR fails with that error.
 * Write-only attributes in attr_request are NFS4ERR_INVAL. The filesystem checks read and
 * search permission on the directory.
 *
 * <p>Entries are encoded straight into one buffer with exact size accounting, so a reply of
 * thousands of entries costs one pass and one copy to the wire.
 */
public final class ReaddirOperation implements Operation {
    /** Upper bound of one reply, whatever the client asks: the server's maximum I/O size. */
    static final int MAX_REPLY_BYTES = 1024 * 1024;
    /** Room kept in the session's maximum response for the rest of the COMPOUND reply. */
    static final int COMPOUND_OVERHEAD = 512;
    /** verifier4 + the final "no more entries" word + eof. */
    static final int FIXED_BYTES = 8 + 4 + 4;
    /** Most entries asked of the filesystem at once. */
    static final int MAX_BATCH = 4096;

    private final long cookie;
    private final byte[] cookieverf;
    private final long dircount;
    private final long maxcount;
    private final Bitmap4 requested;

    ReaddirOperation(long cookie, byte[] cookieverf, long dircount, long maxcount,
                     Bitmap4 requested) {
        this.cookie = cookie;
        this.cookieverf = cookieverf;
        this.dircount = dircount;
        this.maxcount = maxcount;
        this.requested = requested;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        long cookie = in.readLong();
        byte[] verf = in.readFixedOpaque(8);
        long dircount = Integer.toUnsignedLong(in.readInt());
        long maxcount = Integer.toUnsignedLong(in.readInt());
        return new ReaddirOperation(cookie, verf, dircount, maxcount, Bitmap4.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = ctx.currentFh();
        if (dir.type() != FileType.DIRECTORY && dir.type() != FileType.NAMED_ATTR_DIR) {
            throw new NfsException(dir.type() == FileType.SYMLINK ? Nfs4Status.NFS4ERR_SYMLINK
                    : Nfs4Status.NFS4ERR_NOTDIR, "READDIR of a " + dir.type());
        }
        if (cookie == 1 || cookie == 2) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_COOKIE, "reserved cookie " + cookie);
        }
        if (requested.intersects(AttributeId.writeOnly())) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "READDIR of a write-only attribute");
        }
        long limit = Math.min(maxcount, MAX_REPLY_BYTES);
        Session session = ctx.session();
        if (session != null) {
            long sessionLimit = (long) session.foreChannel().maxResponseSize() - COMPOUND_OVERHEAD;
            if (sessionLimit > 0) {
                limit = Math.min(limit, sessionLimit);
            }
        }
        long budget = limit - FIXED_BYTES;
        if (budget < 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_TOOSMALL, "maxcount " + maxcount);
        }
        return new Lister(ctx, dir, (int) budget).run();
    }

    /** One READDIR's work: pages from the filesystem, encoded until the budget is spent. */
    private final class Lister {
        private final VirtualFileSystem vfs;
        private final Caller caller;
        private final Inode dir;
        private final int budget;
        private final Fattr4Encoder encoder;
        private final Fattr4Encoder.Plan plan;
        private final boolean wantsRdattrError;
        private final XdrBuffer out;
        private int dirBytes;
        private int count;

        Lister(CompoundContext ctx, Inode dir, int budget) {
            this.vfs = ctx.vfs();
            this.caller = ctx.caller();
            this.dir = dir;
            this.budget = budget;
            this.encoder = Fattr4Encoder.of(ctx);
            this.plan = encoder.plan(requested);
            this.wantsRdattrError = plan.includes(AttributeId.RDATTR_ERROR);
            this.out = new XdrBuffer(Math.min(budget, 64 * 1024));
        }

        OpResult run() throws NfsException, VfsException {
            long next = cookie;
            int estimate = 4 + 8 + 4 + 16 + plan.estimatedSize();
            byte[] verifier = null;
            boolean eof;
            while (true) {
                int room = budget - out.position();
                int batch = (int) Math.max(1, Math.min(MAX_BATCH, room / Math.max(estimate, 1) + 1));
                DirectoryPage page = vfs.list(caller, dir, next, batch);
                if (verifier == null) {
                    verifier = toBytes(page.verifier());
                    checkVerifier(verifier);
                }
                List<DirectoryEntry> entries = page.entries();
                boolean full = false;
                for (DirectoryEntry e : entries) {
                    if (!add(e)) {
                        full = true;
                        break;
                    }
                    next = e.cookie();
                }
                if (full) {
                    if (count == 0) {
                        throw new NfsException(Nfs4Status.NFS4ERR_TOOSMALL,
                                "first entry does not fit in " + budget + " bytes");
                    }
                    eof = false;
                    break;
                }
                if (page.eof() || entries.isEmpty()) {
                    // An empty page that claims more would have the client ask forever.
                    eof = true;
                    break;
                }
                if (count > 0) {
                    estimate = Math.max(estimate / 2, out.position() / count);
                }
            }
            return new Result(verifier, out, eof);
        }

        private void checkVerifier(byte[] current) throws NfsException {
            if (cookie == 0 || isZero(cookieverf)) {
                return;
            }
            if (!java.util.Arrays.equals(cookieverf, current)) {
                throw new NfsException(Nfs4Status.NFS4ERR_NOT_SAME, "stale cookie verifier");
            }
        }

        /** Encodes one entry; false (and nothing written) when it does not fit. */
        private boolean add(DirectoryEntry e) throws NfsException, VfsException {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int nameBytes = 8 + 4 + XdrBuffer.padded(name.length);
            if (count > 0 && dircount > 0 && dirBytes + nameBytes > dircount) {
                return false;
            }
            int mark = out.position();
            out.putInt(1).putLong(e.cookie()).putOpaque(name);
            encodeAttributes(e);
            if (out.position() > budget) {
                out.truncate(mark);
                return false;
            }
            dirBytes += nameBytes;
            count++;
            return true;
        }

        private void encodeAttributes(DirectoryEntry e) throws NfsException, VfsException {
            try {
                Stat stat = e.stat();
                if (stat == null) {
                    if (e.inode() == null) {
                        throw new VfsException(org.fsnap.server.vfs.VfsError.STALE,
                                "entry " + e.name() + " vanished");
                    }
                    stat = vfs.getattr(e.inode());
                }
                encoder.encode(out, plan, e.inode(), stat);
            } catch (VfsException ex) {
                if (!wantsRdattrError) {
                    throw ex;
                }
                Fattr4Encoder.encodeRdattrError(out, ex.error().nfsStatus());
            }
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] toBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** READDIR4resok: cookieverf, then dirlist4 (entries as a linked list, eof). */
    record Result(byte[] cookieverf, XdrBuffer entries, boolean eof) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeFixedOpaque(cookieverf);
            entries.writeTo(out);
            out.writeBoolean(false).writeBoolean(eof);
        }
    }
}
