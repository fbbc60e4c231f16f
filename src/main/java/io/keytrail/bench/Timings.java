package io.keytrail.bench;

import java.util.Arrays;

/** Durations of the batches of one phase, in nanoseconds, and their percentiles (nearest rank). */
final class Timings {
    private long[] nanos = new long[16];
    private int count;
    private long total;

    void add(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
        total += elapsedNanos;
    }

    int count() {
        return count;
    }

    long totalNanos() {
        return total;
    }

    /** The {@code p}-th percentile in milliseconds (0 when nothing was timed). */
    double percentileMillis(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
    }

    /** {@code items} per second of the timed part (0 when nothing was timed). */
    double rate(long items) {
        return total == 0 ? 0 : items * 1e9 / total;
    }
}
