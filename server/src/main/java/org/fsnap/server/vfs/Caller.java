package org.fsnap.server.vfs;

import java.net.InetAddress;

/**
 * Who asks: the credentials of one RPC after squashing, and where the call came from.
 *
 * @param uid effective uid (already mapped to the anonymous uid when squashed)
 * @param gid primary gid
 * @param gids supplementary gids
 * @param client the client's address, for logs and audit; may be null in unit tests
 */
public record Caller(int uid, int gid, int[] gids, InetAddress client) {
    public static final int NOBODY = 65534;

    public Caller {
        gids = gids == null ? new int[0] : gids.clone();
    }

    public boolean isRoot() {
        return uid == 0;
    }

    public boolean inGroup(int group) {
        if (group == gid) {
            return true;
        }
        for (int g : gids) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    public static Caller root() {
        return new Caller(0, 0, new int[0], null);
    }

    public static Caller of(int uid, int gid, int... gids) {
        return new Caller(uid, gid, gids, null);
    }
}
