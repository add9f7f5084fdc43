package org.fsnap.server.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fsnap.server.vfs.Inode;

/** Opens, lock states and byte-range locks of one file. Exists while the file is open. */
final class FileState {
    final Inode inode;
    final List<OpenState> opens = new ArrayList<>(2);
    final Map<StateOwner, LockState> lockStates = new HashMap<>();
    final ByteRangeLockTable locks = new ByteRangeLockTable();

    FileState(Inode inode) {
        this.inode = inode;
    }

    OpenState openOf(StateOwner owner) {
        for (OpenState o : opens) {
            if (o.owner.equals(owner)) {
                return o;
            }
        }
        return null;
    }
}
