package io.keytrail.lanes;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.pollinterval.IterativePollInterval;

/**
 * How the lane tests wait for an outcome (issue 8: no waiting beyond the work itself). Awaitility's
 * defaults first wait 100 ms and then poll every 100 ms, so every wait cost at least a tenth of a second
 * even when the outcome was already there (the stalled-homeserver test waited 42 times). Here the first
 * check comes at once, then after 5 ms, doubling up to 50 ms between checks: quick outcomes are seen
 * quickly, long ones are not polled more than 20 times a second.
 */
final class LaneAwait {
    private static final Duration FIRST = Duration.ofMillis(5);
    private static final Duration LONGEST = Duration.ofMillis(50);

    private LaneAwait() {
    }

    /** Waits at most {@code patience}: generous for a busy machine, never waited when all goes well. */
    static ConditionFactory within(Duration patience) {
        return Awaitility.await().atMost(patience).pollDelay(Duration.ZERO)
                .pollInterval(IterativePollInterval.iterative(d -> d.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST
                        : d.multipliedBy(2), FIRST));
    }
}
