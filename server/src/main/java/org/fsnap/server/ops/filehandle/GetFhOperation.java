package org.fsnap.server.ops.filehandle;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.xdr.XdrOutput;

/** GETFH (RFC 8881 section 18.8). */
final class GetFhOperation implements Operation {
    static final GetFhOperation INSTANCE = new GetFhOperation();

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        byte[] handle = ctx.currentFh().handle();
        return new OpResult.Ok() {
            @Override
            public void encodeBody(XdrOutput out) {
                out.writeOpaque(handle);
            }
        };
    }
}
