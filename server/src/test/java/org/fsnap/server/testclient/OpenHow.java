package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

import java.util.function.Consumer;

/** openflag4 of OPEN: no create, or createhow4 with its mode (RFC 8881 section 18.16). */
public final class OpenHow {
    private final Consumer<XdrWriter> encoder;

    private OpenHow(Consumer<XdrWriter> encoder) {
        this.encoder = encoder;
    }

    public static OpenHow noCreate() {
        return new OpenHow(w -> w.writeInt(OPEN4_NOCREATE));
    }

    public static OpenHow unchecked(FattrBuilder attrs) {
        return new OpenHow(w -> {
            w.writeInt(OPEN4_CREATE).writeInt(UNCHECKED4);
            attrs.encode(w);
        });
    }

    public static OpenHow guarded(FattrBuilder attrs) {
        return new OpenHow(w -> {
            w.writeInt(OPEN4_CREATE).writeInt(GUARDED4);
            attrs.encode(w);
        });
    }

    /** EXCLUSIVE4_1: verifier and attributes (creatverfattr). */
    public static OpenHow exclusive41(byte[] verifier, FattrBuilder attrs) {
        return new OpenHow(w -> {
            w.writeInt(OPEN4_CREATE).writeInt(EXCLUSIVE4_1).writeFixedOpaque(verifier);
            attrs.encode(w);
        });
    }

    void encode(XdrWriter w) {
        encoder.accept(w);
    }
}
