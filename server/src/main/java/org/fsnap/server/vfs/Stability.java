package org.fsnap.server.vfs;

/** stable_how4 of RFC 8881: UNSTABLE4, DATA_SYNC4, FILE_SYNC4. */
public enum Stability {
    UNSTABLE, DATA_SYNC, FILE_SYNC;

    public int nfsValue() {
        return ordinal();
    }

    public static Stability ofNfsValue(int v) {
        return switch (v) {
            case 0 -> UNSTABLE;
            case 1 -> DATA_SYNC;
            case 2 -> FILE_SYNC;
            default -> null;
        };
    }
}
