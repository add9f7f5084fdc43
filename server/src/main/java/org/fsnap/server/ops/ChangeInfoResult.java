package org.fsnap.server.ops;

import org.fsnap.server.compound.OpResult;
import org.fsnap.server.xdr.XdrOutput;

/**
 * A successful result whose body is one change_info4 (REMOVE4resok, LINK4resok, SETXATTR4resok,
 * REMOVEXATTR4resok).
 */
public record ChangeInfoResult(ChangeInfo cinfo) implements OpResult.Ok {
    @Override
    public void encodeBody(XdrOutput out) {
        cinfo.encode(out);
    }
}
