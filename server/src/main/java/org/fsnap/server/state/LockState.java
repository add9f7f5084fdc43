package org.fsnap.server.state;

/**
 * The byte-range lock state of one lock-owner on one file (RFC 8881 section 8.2.4): the
 * locks themselves live in the file's {@link ByteRangeLockTable}, under the owner. Valid
 * until FREE_STATEID or the CLOSE of the open it came from, even when no lock is left.
 */
final class LockState extends Stateful {
    final OpenState open;

    LockState(byte[] other, ClientRecord client, FileState file, StateOwner owner,
              OpenState open) {
        super(other, client, file, owner);
        this.open = open;
    }

    @Override
    int access() {
        return open.access();
    }
}
