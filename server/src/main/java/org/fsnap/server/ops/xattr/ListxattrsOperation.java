package org.fsnap.server.ops.xattr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.snapshot.Hashing;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * LISTXATTRS (RFC 8276 section 8.4.4): the names of the current filehandle's extended
 * attributes, as they travel (without {@code user.}), in pages.
 *
 * <pre>
 *  struct LISTXATTRS4args { nfs_cookie4 lxa_cookie; count4 lxa_maxcount; };
 *  struct LISTXATTRS4resok { nfs_cookie4 lxr_cookie; xattrkey4 lxr_names&lt;&gt;; bool lxr_eof; };
 *  union LISTXATTRS4res switch (nfsstat4 lxr_status) { case NFS4_OK: LISTXATTRS4resok lxr_value; default: void; };
 * </pre>
 *
 * {@code lxa_maxcount} bounds the whole LISTXATTRS4resok (cookie, array, eof), as the Linux
 * client computes it. Names are returned in the order of a hash of each name and the cookie is
 * the last returned name's hash, so a cookie stays meaningful whatever is added or removed
 * meanwhile: continuing never repeats a name, and skips none that stayed. NFS4ERR_TOOSMALL
 * when not even one name (or, for no names, the empty reply) fits.
 */
public final class ListxattrsOperation implements Operation {
    /** cookie (8) + array length (4) + eof (4). */
    private static final int FIXED_BYTES = 16;

    private final long cookie;
    private final int maxcount;

    public ListxattrsOperation(long cookie, int maxcount) {
        this.cookie = cookie;
        this.maxcount = maxcount;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        return new ListxattrsOperation(in.readLong(), in.readInt());
    }

    private record Named(String name, byte[] utf8, long cookie) {
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        XattrNames.requireMinor2(ctx);
        long budget = Integer.toUnsignedLong(maxcount);
        if (budget < FIXED_BYTES) {
            throw new NfsException(Nfs4Status.NFS4ERR_TOOSMALL, "maxcount " + budget);
        }
        List<Named> all = new ArrayList<>();
        for (String n : ctx.vfs().listXattrs(ctx.caller(), ctx.currentFh())) {
            all.add(new Named(n, n.getBytes(StandardCharsets.UTF_8), Hashing.cookieOf(n)));
        }
        all.sort(Comparator.comparingLong(Named::cookie).thenComparing(Named::name));
        int i = 0;
        if (cookie != 0) {
            while (i < all.size() && Long.compareUnsigned(all.get(i).cookie, cookie) <= 0) {
                i++;
            }
        }
        long used = FIXED_BYTES;
        List<byte[]> names = new ArrayList<>();
        long last = cookie;
        while (i < all.size()) {
            Named n = all.get(i);
            long cost = 4 + ((n.utf8.length + 3L) & ~3L);
            if (used + cost > budget) {
                break;
            }
            used += cost;
            names.add(n.utf8);
            last = n.cookie;
            i++;
        }
        boolean eof = i >= all.size();
        if (names.isEmpty() && !eof) {
            throw new NfsException(Nfs4Status.NFS4ERR_TOOSMALL, "not even one name fits in " + budget);
        }
        return new Result(last, names, eof);
    }

    record Result(long cookie, List<byte[]> names, boolean eof) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeLong(cookie).writeInt(names.size());
            for (byte[] n : names) {
                out.writeOpaque(n);
            }
            out.writeBoolean(eof);
        }
    }
}
