package org.fsnap.server.state;

import java.util.Arrays;

/** An NFSv4.1 session (RFC 8881 section 2.10): its id, client, fore channel and slots. */
public final class Session {
    private final byte[] sessionId;
    private final ClientRecord client;
    private final ChannelAttributes foreChannel;
    private final ChannelAttributes backChannel;
    private final int flags;
    private final Slot[] slots;

    Session(byte[] sessionId, ClientRecord client, ChannelAttributes foreChannel,
            ChannelAttributes backChannel, int flags) {
        this.sessionId = sessionId.clone();
        this.client = client;
        this.foreChannel = foreChannel;
        this.backChannel = backChannel;
        this.flags = flags;
        this.slots = new Slot[foreChannel.maxRequests()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public boolean hasId(byte[] id) {
        return Arrays.equals(sessionId, id);
    }

    public ClientRecord client() {
        return client;
    }

    public ChannelAttributes foreChannel() {
        return foreChannel;
    }

    public ChannelAttributes backChannel() {
        return backChannel;
    }

    public int flags() {
        return flags;
    }

    public int slotCount() {
        return slots.length;
    }

    /** The slot, or null when {@code slotId} is out of range. */
    public Slot slot(int slotId) {
        return slotId >= 0 && slotId < slots.length ? slots[slotId] : null;
    }
}
