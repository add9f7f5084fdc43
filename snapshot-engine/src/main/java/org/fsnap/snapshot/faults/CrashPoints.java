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
        if (POINT != null && POINT.equals(point) && SEEN.incrementAndGet() == OCCURRENCE) {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** True when {@code point} is armed and its next occurrence will halt; for torn-write simulation. */
    public static boolean isNext(String point) {
        return POINT != null && POINT.equals(point) && SEEN.get() + 1 == OCCURRENCE;
    }
}
