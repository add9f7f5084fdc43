package org.fsnap.server.state;

/**
 * One fore-channel slot of a session (RFC 8881 section 2.10.6): the last sequence id it
 * carried and, when the client asked for it, that request's whole encoded reply, so a
 * retransmission gets the very same answer (the reply cache).
 */
public final class Slot {
    private int sequenceId;
    private boolean inProgress;
    private byte[] cachedReply;
    private boolean replyCached;

    /** Outcome of presenting a sequence id to the slot. */
    public enum Admission { NEW_REQUEST, REPLAY, IN_PROGRESS, MISORDERED }

    public synchronized Admission admit(int seq) {
        if (seq == sequenceId) {
            return inProgress ? Admission.IN_PROGRESS : Admission.REPLAY;
        }
        if (seq == sequenceId + 1 && !inProgress) {
            sequenceId = seq;
            inProgress = true;
            cachedReply = null;
            replyCached = false;
            return Admission.NEW_REQUEST;
        }
        return Admission.MISORDERED;
    }

    public synchronized int sequenceId() {
        return sequenceId;
    }

    /** Ends the request in progress; {@code reply} is null when it was not to be cached. */
    public synchronized void complete(byte[] reply) {
        inProgress = false;
        cachedReply = reply;
        replyCached = reply != null;
    }

    /** The cached reply of the last request, or null when none was kept. */
    public synchronized byte[] cachedReply() {
        return replyCached ? cachedReply : null;
    }
}
