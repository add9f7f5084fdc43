package org.fsnap.server.state;

import java.util.ArrayList;
import java.util.List;

/** The open of one file by one open-owner (RFC 8881 section 9.7), and its share reservation. */
final class OpenState extends Stateful {
    ShareReservation share;
    /** Lock states derived from this open: released with it. */
    final List<LockState> lockStates = new ArrayList<>(0);

    OpenState(byte[] other, ClientRecord client, FileState file, StateOwner owner,
              ShareReservation share) {
        super(other, client, file, owner);
        this.share = share;
    }

    @Override
    int access() {
        return share.access();
    }
}
