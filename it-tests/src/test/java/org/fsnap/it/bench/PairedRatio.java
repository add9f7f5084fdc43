package org.fsnap.it.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The speed ratio of two servers measured in the same rounds, with how sure it is.
 *
 * <p>Rounds on this machine differ by more than the servers do (a write round runs at anything
 * from 13 to 21 MB/s, for either server), so the ratio of two medians can move by 5 % from one
 * run of the benchmark to the next. Pairing the servers round by round takes that common drift
 * out: the estimate is the geometric mean of the per-round ratios, and its 95 % interval comes
 * from resampling the rounds (percentile bootstrap, fixed seed so that a table can be
 * reproduced from its figures). An interval that contains 1.0 means the runs cannot tell the
 * servers apart.
 *
 * @param ratio the geometric mean of the per-round ratios
 * @param low   the 2.5th percentile of the resampled geometric means
 * @param high  the 97.5th percentile
 */
record PairedRatio(double ratio, double low, double high) {
    private static final int RESAMPLES = 10_000;
    private static final long SEED = 20_491L;

    /**
     * From values of the same metric, round by round ({@code a.get(i)} and {@code b.get(i)} were
     * measured in round {@code i}): the ratio a/b. Empty unless both have the same number of
     * rounds, at least three, all positive.
     */
    static Optional<PairedRatio> of(List<Double> a, List<Double> b) {
        if (a == null || b == null || a.size() != b.size() || a.size() < 3) {
            return Optional.empty();
        }
        int n = a.size();
        double[] logs = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(a.get(i) > 0) || !(b.get(i) > 0)) {
                return Optional.empty();
            }
            logs[i] = Math.log(a.get(i) / b.get(i));
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += logs[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return Optional.of(new PairedRatio(Math.exp(mean(logs)),
                Math.exp(means[(int) (RESAMPLES * 0.025)]), Math.exp(means[(int) (RESAMPLES * 0.975) - 1])));
    }

    /** The same ratio the other way round (b/a): for metrics where lower is better. */
    PairedRatio inverse() {
        return new PairedRatio(1 / ratio, 1 / high, 1 / low);
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", ratio, low, high);
    }
}
