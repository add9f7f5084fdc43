package org.fsnap.server.rpc;

import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.fsnap.server.xdr.XdrException;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;
import org.fsnap.server.compound.CompoundRequest;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.compound.OperationDecoder;
import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.xdr.XdrInput;

/**
 * Decodes COMPOUND4args from an RPC call. Only the header can make the whole call garbage;
 * a malformed operation becomes NFS4ERR_BADXDR for that operation, after the ones before it
 * have run, exactly as if decoding and execution were interleaved.
 */
final class CompoundCall implements XdrAble {
    static final int MAX_TAG = 1024;
    /** Far above any session's ca_maxoperations; bounds work before SEQUENCE can check. */
    static final int MAX_OPERATIONS = 1024;

    private final OperationRegistry registry;
    private CompoundRequest request;

    CompoundCall(OperationRegistry registry) {
        this.registry = registry;
    }

    CompoundRequest request() {
        return request;
    }

    @Override
    public void xdrDecode(XdrDecodingStream stream) throws OncRpcException {
        XdrInput in = new XdrInput(stream);
        byte[] tag;
        int minor;
        int count;
        try {
            tag = in.readOpaque(MAX_TAG);
            minor = in.readInt();
            count = in.readLength(MAX_OPERATIONS);
        } catch (RuntimeException e) {
            throw new XdrException("truncated COMPOUND header");
        }
        List<Integer> opcodes = new ArrayList<>();
        List<Operation> ops = new ArrayList<>();
        if (minor == 1 || minor == 2) {
            decodeOperations(in, count, opcodes, ops);
        }
        request = new CompoundRequest(tag, minor, opcodes, ops);
    }

    private void decodeOperations(XdrInput in, int count, List<Integer> opcodes,
                                  List<Operation> ops) {
        for (int i = 0; i < count; i++) {
            int opcode;
            try {
                opcode = in.readInt();
            } catch (XdrException | RuntimeException e) {
                opcodes.add(OpCode.ILLEGAL);
                ops.add(ctx -> OpResult.status(Nfs4Status.NFS4ERR_BADXDR));
                return;
            }
            OperationDecoder decoder = registry.decoderFor(opcode);
            if (decoder == null) {
                opcodes.add(OperationRegistry.isKnown(opcode) ? opcode : OpCode.ILLEGAL);
                ops.add(OperationRegistry.unsupported(opcode));
                return;
            }
            opcodes.add(opcode);
            try {
                ops.add(decoder.decode(in));
            } catch (XdrException | RuntimeException e) {
                ops.add(ctx -> OpResult.status(Nfs4Status.NFS4ERR_BADXDR));
                return;
            }
        }
    }

    @Override
    public void xdrEncode(XdrEncodingStream xdr) {
        throw new UnsupportedOperationException("server side only decodes COMPOUND4args");
    }
}
