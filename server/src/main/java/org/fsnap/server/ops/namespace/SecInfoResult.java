package org.fsnap.server.ops.namespace;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.xdr.XdrOutput;

/**
 * SECINFO4resok (also SECINFO_NO_NAME): the security flavors, most preferred first. This
 * server offers AUTH_SYS only; flavors other than RPCSEC_GSS carry no further data.
 */
record SecInfoResult(int[] flavors) implements OpResult.Ok {
    static final int AUTH_SYS = 1;
    static final SecInfoResult AUTH_SYS_ONLY = new SecInfoResult(new int[] {AUTH_SYS});

    @Override
    public void encodeBody(XdrOutput out) {
        out.writeInt(flavors.length);
        for (int flavor : flavors) {
            out.writeInt(flavor);
        }
    }
}
