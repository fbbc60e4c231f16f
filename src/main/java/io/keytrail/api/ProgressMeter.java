package io.keytrail.api;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long pass on standard error, at most once a second (however often it is told), with the
 * rates since the start: {@code audit verify: 120,000 events, 60,000 decisions; 9,800 events/s, 4,900
 * decisions/s}. The clock is a parameter so that a test decides when a second has passed.
 */
final class ProgressMeter {
    private static final long SECOND = 1_000_000_000L;

    private final String label;
    private final PrintStream err;
    private final LongSupplier nanoTime;
    private final long start;
    private long nextReport;

    ProgressMeter(String label, PrintStream err, LongSupplier nanoTime) {
        this.label = label;
        this.err = err;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.nextReport = start + SECOND;
    }

    /** Reports when a second has passed since the last report. */
    void at(long events, long decisions) {
        long now = nanoTime.getAsLong();
        if (now - nextReport >= 0) {
            nextReport = now + SECOND;
            err.println(line(events, decisions, now));
        }
    }

    /** The last report, whatever the time; returns the elapsed seconds. */
    double done(long events, long decisions) {
        long now = nanoTime.getAsLong();
        err.println(line(events, decisions, now) + " (done)");
        return seconds(now);
    }

    /** Per second since the start, 0 before any time has passed. */
    static long rate(long count, double seconds) {
        return seconds <= 0 ? 0 : Math.round(count / seconds);
    }

    private String line(long events, long decisions, long now) {
        double seconds = seconds(now);
        return String.format(Locale.ROOT, "%s: %,d events, %,d decisions; %,d events/s, %,d decisions/s", label,
                events, decisions, rate(events, seconds), rate(decisions, seconds));
    }

    private double seconds(long now) {
        return (now - start) / 1e9;
    }
}
