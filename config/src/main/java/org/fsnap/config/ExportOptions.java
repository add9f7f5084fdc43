package org.fsnap.config;

/**
 * What one client may do with one export, from the options in {@code client(options)} of an
 * exports file. The defaults are knfsd's: read-only, root squashed to 65534:65534, secure.
 *
 * @param readOnly {@code ro} (default) or {@code rw}: writes get NFS4ERR_ROFS when read-only
 * @param squash   whose uid/gid become anonuid/anongid
 * @param anonUid  {@code anonuid=N}
 * @param anonGid  {@code anongid=N}
 * @param secure   {@code secure} (default): requests must come from a port below 1024
 */
public record ExportOptions(boolean readOnly, Squash squash, int anonUid, int anonGid, boolean secure) {
    public static final int NOBODY = 65534;
    public static final ExportOptions DEFAULTS = new ExportOptions(true, Squash.ROOT, NOBODY, NOBODY, true);

    /** {@code no_root_squash}, {@code root_squash} (default), {@code all_squash}. */
    public enum Squash {
        NONE, ROOT, ALL
    }

    /** Whether a request with this uid acts as the anonymous user. */
    public boolean squashes(int uid) {
        return squash == Squash.ALL || (squash == Squash.ROOT && uid == 0);
    }

    /** The uid a request acts as. */
    public int effectiveUid(int uid) {
        return squashes(uid) ? anonUid : uid;
    }

    /**
     * The gid a request acts as: the anonymous gid when its uid is squashed, and also for gid 0
     * under root squashing (knfsd squashes the root group too).
     */
    public int effectiveGid(int uid, int gid) {
        if (squashes(uid) || (squash != Squash.NONE && gid == 0)) {
            return anonGid;
        }
        return gid;
    }

    /** The supplementary groups a request keeps: none when squashed, else gid 0 dropped under squashing. */
    public int[] effectiveGids(int uid, int[] gids) {
        if (squashes(uid)) {
            return new int[0];
        }
        if (squash == Squash.NONE) {
            return gids.clone();
        }
        return java.util.Arrays.stream(gids).map(g -> g == 0 ? anonGid : g).toArray();
    }

    @Override
    public String toString() {
        return (readOnly ? "ro" : "rw") + "," + switch (squash) {
            case NONE -> "no_root_squash";
            case ROOT -> "root_squash";
            case ALL -> "all_squash";
        } + ",anonuid=" + anonUid + ",anongid=" + anonGid + (secure ? ",secure" : ",insecure") + ",sec=sys";
    }
}
