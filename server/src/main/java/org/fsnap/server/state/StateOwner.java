package org.fsnap.server.state;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * state_owner4 of RFC 8881 section 3.3.5 (open_owner4, lock_owner4): the client id with the
 * client's opaque owner name. Equal when both parts are equal.
 */
public final class StateOwner {
    /** NFS4_OPAQUE_LIMIT: the largest owner name on the wire. */
    public static final int MAX_OWNER_BYTES = 1024;

    private final long clientId;
    private final byte[] owner;

    public StateOwner(long clientId, byte[] owner) {
        this.clientId = clientId;
        this.owner = owner.clone();
    }

    public long clientId() {
        return clientId;
    }

    public byte[] owner() {
        return owner.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateOwner s && s.clientId == clientId && Arrays.equals(s.owner, owner);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Arrays.hashCode(owner);
    }

    @Override
    public String toString() {
        return Long.toHexString(clientId) + "/" + HexFormat.of().formatHex(owner);
    }
}
