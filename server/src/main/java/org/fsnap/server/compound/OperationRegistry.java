package org.fsnap.server.compound;

import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;

/**
 * Which opcodes this server decodes, and how. Opcodes without a decoder are answered
 * NFS4ERR_OP_ILLEGAL (unknown) or NFS4ERR_NOTSUPP (known but not offered); decoding stops
 * there because the COMPOUND stops at that operation anyway.
 */
public final class OperationRegistry {
    private static final int MAX_OPCODE = OpCode.REMOVEXATTR;

    private final OperationDecoder[] decoders = new OperationDecoder[MAX_OPCODE + 1];

    public OperationRegistry register(int opcode, OperationDecoder decoder) {
        if (opcode < 0 || opcode > MAX_OPCODE) {
            throw new IllegalArgumentException("opcode " + opcode);
        }
        if (decoders[opcode] != null) {
            throw new IllegalStateException("opcode " + opcode + " registered twice");
        }
        decoders[opcode] = decoder;
        return this;
    }

    /** The decoder for {@code opcode}, or null when the operation is not offered. */
    public OperationDecoder decoderFor(int opcode) {
        return opcode >= 0 && opcode <= MAX_OPCODE ? decoders[opcode] : null;
    }

    /** Whether {@code opcode} is a defined NFSv4.x operation number at all. */
    public static boolean isKnown(int opcode) {
        return opcode >= OpCode.ACCESS && opcode <= MAX_OPCODE;
    }

    /** The operation placed where decoding stopped on an opcode that is not served. */
    public static Operation unsupported(int opcode) {
        int status = isKnown(opcode) ? Nfs4Status.NFS4ERR_NOTSUPP : Nfs4Status.NFS4ERR_OP_ILLEGAL;
        return ctx -> OpResult.status(status);
    }
}
