package org.fsnap.server.testclient;

/**
 * An AUTH_SYS credential (RFC 5531 appendix A, authsys_parms), or AUTH_NONE when
 * {@link #none()} is used.
 */
public record AuthSys(int uid, int gid, int[] gids, int stamp, String machineName, boolean isNone) {
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;

    public AuthSys {
        gids = gids == null ? new int[0] : gids.clone();
        machineName = machineName == null ? "testclient" : machineName;
    }

    public static AuthSys of(int uid, int gid, int... gids) {
        return new AuthSys(uid, gid, gids, (int) (System.currentTimeMillis() / 1000), "testclient",
                false);
    }

    public static AuthSys root() {
        return of(0, 0);
    }

    public static AuthSys none() {
        return new AuthSys(0, 0, null, 0, null, true);
    }

    public int flavor() {
        return isNone ? AUTH_NONE : AUTH_SYS;
    }

    /** The opaque_auth body: authsys_parms, or nothing for AUTH_NONE. */
    public byte[] body() {
        if (isNone) {
            return new byte[0];
        }
        XdrWriter w = new XdrWriter().writeInt(stamp).writeString(machineName).writeInt(uid)
                .writeInt(gid).writeInt(gids.length);
        for (int g : gids) {
            w.writeInt(g);
        }
        return w.toByteArray();
    }

    /** opaque_auth: flavor and body. */
    public void encode(XdrWriter w) {
        w.writeInt(flavor()).writeOpaque(body());
    }
}
