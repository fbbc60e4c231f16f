package io.keytrail.lanes;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, capped at the maximum delay. Jitter spreads the retries of users
 * that failed together (one homeserver outage) so they do not return as one burst. Pure, so a test
 * can pin the random source.
 */
public final class Backoff {
    private final LaneProperties.Retry retry;
    private final DoubleSupplier random;

    public Backoff(LaneProperties.Retry retry, DoubleSupplier random) {
        this.retry = retry;
        this.random = random;
    }

    /** The wait before retry number {@code retryNumber} (1 = the first retry). */
    public Duration delayBefore(int retryNumber) {
        double base = retry.initialDelay().toMillis() * Math.pow(retry.factor(), Math.max(0, retryNumber - 1));
        double stretched = base * (1 + retry.jitter() * random.getAsDouble());
        return Duration.ofMillis(Math.round(Math.min(stretched, retry.maxDelay().toMillis())));
    }

    /** True when a user already asked {@code attempts} times must not be asked again. */
    public boolean exhausted(int attempts) {
        return attempts >= retry.maxAttempts();
    }
}
