package org.fsnap.server.state;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NFSv4.1 client as established by EXCHANGE_ID (RFC 8881 section 2.4): its owner,
 * verifier, short-hand client id, confirmation, lease and CREATE_SESSION sequencing.
 */
public final class ClientRecord {
    private final long clientId;
    private final byte[] ownerId;
    private final byte[] verifier;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean confirmed;
    private volatile long lastRenewNanos;
    private volatile boolean reclaimComplete;
    private volatile boolean reclaiming;
    /** Last CREATE_SESSION sequence id processed (csa_sequence), and its cached reply. */
    private int createSessionSeq;
    private Object createSessionReply;

    ClientRecord(long clientId, byte[] ownerId, byte[] verifier, long nowNanos) {
        this.clientId = clientId;
        this.ownerId = ownerId.clone();
        this.verifier = verifier.clone();
        this.lastRenewNanos = nowNanos;
    }

    public long clientId() {
        return clientId;
    }

    public byte[] ownerId() {
        return ownerId.clone();
    }

    public boolean hasVerifier(byte[] v) {
        return Arrays.equals(verifier, v);
    }

    public boolean isConfirmed() {
        return confirmed;
    }

    void confirm() {
        confirmed = true;
    }

    public void renew(long nowNanos) {
        lastRenewNanos = nowNanos;
    }

    public long lastRenewNanos() {
        return lastRenewNanos;
    }

    public Set<Session> sessions() {
        return sessions;
    }

    public boolean isReclaimComplete() {
        return reclaimComplete;
    }

    public void setReclaimComplete() {
        reclaimComplete = true;
    }

    /** Whether this client held state before the server restarted and may reclaim it. */
    public boolean isReclaiming() {
        return reclaiming;
    }

    void setReclaiming(boolean reclaiming) {
        this.reclaiming = reclaiming;
    }

    /** The eir_sequenceid EXCHANGE_ID reports: the next CREATE_SESSION sequence expected. */
    public synchronized int nextCreateSessionSeq() {
        return createSessionSeq + 1;
    }

    public synchronized int lastCreateSessionSeq() {
        return createSessionSeq;
    }

    public synchronized Object lastCreateSessionReply() {
        return createSessionReply;
    }

    public synchronized void recordCreateSession(int seq, Object reply) {
        createSessionSeq = seq;
        createSessionReply = reply;
    }

    @Override
    public String toString() {
        return "client " + Long.toHexString(clientId);
    }
}
