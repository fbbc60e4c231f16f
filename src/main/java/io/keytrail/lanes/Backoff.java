package io.keytrail.lanes;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter. Jitter spreads the retries of users that failed together (one
 * homeserver outage) so they do not come back as one burst. {@code maxDelay} bounds every delay
 * including its jitter; the exponential part stops growing at {@code maxDelay / (1 + jitter)}, so the
 * spread survives at the cap instead of collapsing onto one instant. Pure, so a test can pin the
 * random source.
 */
public final class Backoff {
    private final LaneProperties.Retry retry;
    private final DoubleSupplier random;

    /** @param random values in [0, 1) */
    public Backoff(LaneProperties.Retry retry, DoubleSupplier random) {
        this.retry = retry;
        this.random = random;
    }

    /** The wait before retry number {@code retryNumber} (1 = the first retry, after the first query failed). */
    public Duration delayBefore(int retryNumber) {
        double stretch = 1 + retry.jitter();
        double ceiling = retry.maxDelay().toMillis() / stretch;
        double base = Math.min(retry.initialDelay().toMillis() * Math.pow(retry.factor(), Math.max(0, retryNumber - 1)),
                ceiling);
        double r = Math.min(Math.max(random.getAsDouble(), 0), 1);
        double delay = base * (1 + retry.jitter() * r);
        return Duration.ofMillis(Math.min(Math.round(delay), retry.maxDelay().toMillis()));
    }

    /** True when a user already asked {@code attempts} times must not be asked again. */
    public boolean exhausted(int attempts) {
        return attempts >= retry.maxAttempts();
    }
}
