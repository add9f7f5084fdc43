package org.fsnap.server.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * What this server instance tells clients about itself: owner and scope (EXCHANGE_ID), the
 * boot instance that prefixes client ids, and the write verifier that changes on every
 * restart so clients resend unstable writes.
 */
public final class ServerIdentity {
    private final byte[] ownerMajor;
    private final byte[] scope;
    private final int bootEpoch;
    private final byte[] writeVerifier;

    public ServerIdentity(String ownerName) {
        this.ownerMajor = ownerName.getBytes(StandardCharsets.UTF_8);
        this.scope = ownerMajor.clone();
        long now = System.currentTimeMillis();
        this.bootEpoch = (int) (now / 1000);
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.writeVerifier = ByteBuffer.allocate(8).putInt(bootEpoch).put(random).array();
    }

    public byte[] ownerMajor() {
        return ownerMajor.clone();
    }

    public byte[] scope() {
        return scope.clone();
    }

    public int bootEpoch() {
        return bootEpoch;
    }

    public byte[] writeVerifier() {
        return writeVerifier.clone();
    }
}
