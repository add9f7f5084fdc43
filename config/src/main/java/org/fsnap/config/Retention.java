package org.fsnap.config;

/**
 * How many of a schedule's snapshots to keep: the newest {@code last}, plus the newest one of
 * each of the most recent {@code hourly} hours, {@code daily} days, {@code weekly} ISO weeks and
 * {@code monthly} months that have one (UTC). A snapshot kept by several rules counts once.
 */
public record Retention(int last, int hourly, int daily, int weekly, int monthly) {
    public static final Retention NONE = new Retention(0, 0, 0, 0, 0);

    /** The most snapshots these rules can keep of one file. */
    public int maximum() {
        return last + hourly + daily + weekly + monthly;
    }

    public boolean keepsNothing() {
        return maximum() == 0;
    }
}
