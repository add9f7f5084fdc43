package org.fsnap.server.vfs;

import java.net.InetAddress;

/**
 * Who asks: the credentials of one RPC after squashing, and where the call came from.
 *
 * <p>A caller with no client address is the server itself (for instance a WRITE acting on the
 * authority of an earlier OPEN): the export gate lets it through unsquashed, though read-only
 * exports stay read-only. Every caller made from an RPC carries its client's address.
 *
 * @param uid effective uid (already mapped to the anonymous uid when squashed)
 * @param gid primary gid
 * @param gids supplementary gids
 * @param client the client's address, for export rules, logs and audit; null for the server
 *     itself (and in unit tests)
 * @param port the client's source port (exports' {@code secure} option), or {@link #NO_PORT}
 * @param anonymous the call carried no credentials (AUTH_NONE) and has not been given the
 *     export's anonymous identity yet
 */
public record Caller(int uid, int gid, int[] gids, InetAddress client, int port, boolean anonymous) {
    public static final int NOBODY = 65534;
    /** The port of a caller that did not come over the network (or whose port is not known). */
    public static final int NO_PORT = -1;

    public Caller {
        gids = gids == null ? new int[0] : gids.clone();
    }

    /** A caller with credentials (AUTH_SYS). */
    public Caller(int uid, int gid, int[] gids, InetAddress client, int port) {
        this(uid, gid, gids, client, port, false);
    }

    /**
     * A call without credentials (AUTH_NONE): nobody until an export gives it its anonuid and
     * anongid, as knfsd does whatever the export's squash option.
     */
    public static Caller anonymous(InetAddress client, int port) {
        return new Caller(NOBODY, NOBODY, new int[0], client, port, true);
    }

    /** A caller whose source port is not known. */
    public Caller(int uid, int gid, int[] gids, InetAddress client) {
        this(uid, gid, gids, client, NO_PORT);
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

    /** The same client and port with other credentials (after squashing). */
    public Caller withIdentity(int newUid, int newGid, int[] newGids) {
        return new Caller(newUid, newGid, newGids, client, port, false);
    }

    public static Caller root() {
        return new Caller(0, 0, new int[0], null);
    }

    public static Caller of(int uid, int gid, int... gids) {
        return new Caller(uid, gid, gids, null);
    }
}
