package org.fsnap.server.state;

/**
 * The share reservation of one open (RFC 8881 section 9.7): the access it holds, what it
 * denies others, and which access and deny values the OPENs merged into it asked for, so
 * that OPEN_DOWNGRADE can be held to "the union of some subset of the OPENs"
 * (section 18.18.3).
 *
 * @param accessSeen bit {@code 1 << v} set for every share_access value v opened with
 * @param denySeen bit {@code 1 << v} set for every share_deny value v opened with
 */
record ShareReservation(int access, int deny, int accessSeen, int denySeen) {

    static ShareReservation of(int access, int deny) {
        return new ShareReservation(access, deny, 1 << access, 1 << deny);
    }

    /** The reservation after one more OPEN by the same owner (an upgrade). */
    ShareReservation plus(int a, int d) {
        return new ShareReservation(access | a, deny | d, accessSeen | 1 << a, denySeen | 1 << d);
    }

    /** Whether an open asking for {@code a}/{@code d} conflicts with this one. */
    boolean conflictsWith(int a, int d) {
        return (a & deny) != 0 || (d & access) != 0;
    }

    /** The reservation after OPEN_DOWNGRADE to {@code a}/{@code d}, or null when not allowed. */
    ShareReservation downgradeTo(int a, int d) {
        if ((a & ~access) != 0 || (d & ~deny) != 0
                || unionOf(accessSeen, a) != a || unionOf(denySeen, d) != d) {
            return null;
        }
        return new ShareReservation(a, d, keepWithin(accessSeen, a) | 1 << a,
                keepWithin(denySeen, d) | 1 << d);
    }

    /** The union of the seen values that lie within {@code target}. */
    private static int unionOf(int seen, int target) {
        int u = 0;
        for (int v = 0; v <= 3; v++) {
            if ((seen & 1 << v) != 0 && (v & ~target) == 0) {
                u |= v;
            }
        }
        return u;
    }

    private static int keepWithin(int seen, int target) {
        int kept = 0;
        for (int v = 0; v <= 3; v++) {
            if ((seen & 1 << v) != 0 && (v & ~target) == 0) {
                kept |= 1 << v;
            }
        }
        return kept;
    }
}
