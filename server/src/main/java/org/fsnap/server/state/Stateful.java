package org.fsnap.server.state;

/**
 * What a non-special stateid stands for (RFC 8881 section 8.2): its fixed "other" bytes, the
 * client it belongs to, the file, and a seqid that moves with every change of the state.
 * Guarded by {@link StateTable}.
 */
abstract sealed class Stateful permits OpenState, LockState {
    final byte[] other;
    final ClientRecord client;
    final FileState file;
    final StateOwner owner;
    private int seqid = 1;

    Stateful(byte[] other, ClientRecord client, FileState file, StateOwner owner) {
        this.other = other;
        this.client = client;
        this.file = file;
        this.owner = owner;
    }

    int seqid() {
        return seqid;
    }

    StateId stateId() {
        return new StateId(seqid, other);
    }

    /** Records a change of the state: the next seqid, skipping 0 when it wraps. */
    StateId bump() {
        seqid = seqid == -1 ? 1 : seqid + 1;
        return stateId();
    }

    void restoreSeqid(int value) {
        seqid = value;
    }

    /** The access the state grants for READ and WRITE (OPEN4_SHARE_ACCESS_* bits). */
    abstract int access();
}
