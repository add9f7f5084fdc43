package org.fsnap.server.ops.namespace;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * CREATE's createattrs (fattr4) and their conversion to {@link SetAttributes}.
 *
 * <p>Interim: understands mode (33) and mode_umask (81) only, until the attribute codec of
 * {@code org.fsnap.server.attr} is available; any other attribute is NFS4ERR_ATTRNOTSUPP.
 */
final class CreateAttributes {
    /** Decoding bound of attr_vals. */
    static final int MAX_ATTR_BYTES = 64 * 1024;
    private static final int FATTR4_MODE = 33;
    private static final int FATTR4_MODE_UMASK = 81;

    private final int[] mask;
    private final byte[] values;

    private CreateAttributes(int[] mask, byte[] values) {
        this.mask = mask;
        this.values = values;
    }

    static CreateAttributes decode(XdrInput in) throws XdrException {
        int[] mask = in.readBitmap();
        return new CreateAttributes(mask, in.readOpaque(MAX_ATTR_BYTES));
    }

    /** What to apply, and the bitmap of attributes set for the reply. */
    record Converted(SetAttributes attributes, int[] attrset) {
    }

    Converted convert(CompoundContext ctx) throws NfsException {
        ByteBuffer vals = ByteBuffer.wrap(values);
        Integer mode = null;
        try {
            for (int attr = 0; attr < mask.length * 32; attr++) {
                if ((mask[attr / 32] & (1 << (attr % 32))) == 0) {
                    continue;
                }
                switch (attr) {
                    case FATTR4_MODE -> mode = vals.getInt() & 07777;
                    case FATTR4_MODE_UMASK -> {
                        int m = vals.getInt() & 07777;
                        int umask = vals.getInt() & 0777;
                        mode = m & ~umask;
                    }
                    default -> throw new NfsException(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                            "attribute " + attr + " not settable at CREATE");
                }
            }
        } catch (BufferUnderflowException e) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "attr_vals too short");
        }
        if (vals.hasRemaining()) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADXDR, "attr_vals too long");
        }
        SetAttributes attrs = mode == null ? SetAttributes.NONE : SetAttributes.ofMode(mode);
        return new Converted(attrs, trimmed(mask));
    }

    private static int[] trimmed(int[] mask) {
        int n = mask.length;
        while (n > 0 && mask[n - 1] == 0) {
            n--;
        }
        return java.util.Arrays.copyOf(mask, n);
    }
}
