package org.fsnap.snapshot.faults;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places in the create/delete/revert paths where a crash test can make the JVM die on the spot.
 *
 * <p>Why this exists in production code: proving "done or not done after kill -9" needs kills at exact
 * steps, not only at random times. Set {@code -Dfsnap.crashAt=<point>} (or {@code <point>#<n>} for the n-th
 * time the point is reached) and the JVM halts with {@link #EXIT_CODE} there, skipping shutdown hooks and
 * finalisation just like {@code kill -9}. Without the property each call is one read of a static field.
 */
public final class CrashPoints {

    /** Exit status of a JVM halted at a crash point, so a test can tell it from other deaths. */
    public static final int EXIT_CODE = 86;
    public static final String PROPERTY = "fsnap.crashAt";

    private static final String POINT;
    private static final int OCCURRENCE;
    private static final AtomicInteger SEEN = new AtomicInteger();

    static {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            POINT = null;
            OCCURRENCE = 1;
        } else {
            int hash = spec.indexOf('#');
            POINT = hash < 0 ? spec : spec.substring(0, hash);
            OCCURRENCE = hash < 0 ? 1 : Integer.parseInt(spec.substring(hash + 1));
        }
    }

    private CrashPoints() {
    }

    /** Halts the JVM if {@code point} is the armed crash point (and this is the armed occurrence). */
    public static void reach(String point) {
        if (arrive(point)) {
            halt();
        }
    }

    /**
     * Counts an arrival at {@code point} without halting, for callers that first do damage of their own
     * (e.g. write half a record) and then {@link #halt()}.
     *
     * @return true when this arrival is the armed one
     */
    public static boolean arrive(String point) {
        return POINT != null && POINT.equals(point) && SEEN.incrementAndGet() == OCCURRENCE;
    }

    /** Dies now, as abruptly as kill -9: no shutdown hooks, no buffered output flushed. */
    public static void halt() {
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
