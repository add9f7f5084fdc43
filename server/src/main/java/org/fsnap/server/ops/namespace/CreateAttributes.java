package org.fsnap.server.ops.namespace;

import org.fsnap.server.attr.DecodedAttributes;
import org.fsnap.server.attr.Fattr4;
import org.fsnap.server.attr.Fattr4Decoder;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;

/**
 * CREATE's createattrs: the fattr4 as decoded (bounded), converted when the operation runs
 * so that its errors (INVAL, ATTRNOTSUPP, BADXDR, BADOWNER) come before anything is created.
 */
final class CreateAttributes {
    private final Fattr4 fattr;

    private CreateAttributes(Fattr4 fattr) {
        this.fattr = fattr;
    }

    static CreateAttributes decode(XdrInput in) throws XdrException {
        return new CreateAttributes(Fattr4.decode(in));
    }

    DecodedAttributes convert(CompoundContext ctx) throws NfsException {
        return Fattr4Decoder.toSetAttributes(fattr, ctx.server().owners());
    }
}
