package org.fsnap.server.nfs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding of names and texts from the wire that refuses malformed input. */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** {@code raw} as UTF-8; bytes that are not UTF-8 are an {@link NfsException} of {@code status}. */
    public static String decode(byte[] raw, int status, String message) throws NfsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new NfsException(status, message);
        }
    }
}
