package io.keytrail.lanes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Slow lane and background retry settings ({@code keytrail.homeserver.*}, {@code keytrail.retry.*},
 * {@code keytrail.batch.*}). Nonsense values fail the start-up with the offending key named.
 *
 * @param homeserver where {@code /keys/query} goes; without a base URL the slow lane never calls out
 * @param retry      exponential backoff with jitter for queries that fail or miss the device
 * @param batch      how users whose queries are due together share one request
 */
@ConfigurationProperties(prefix = "keytrail")
public record LaneProperties(Homeserver homeserver, Retry retry, Batch batch) {
    public LaneProperties {
        homeserver = homeserver == null ? new Homeserver(null, null, null, null) : homeserver;
        retry = retry == null ? new Retry(null, null, null, null, null) : retry;
        batch = batch == null ? new Batch(null, null) : batch;
    }

    /**
     * @param baseUrl        e.g. {@code https://matrix.example.org}; empty = slow lane off
     * @param accessToken    sent as {@code Authorization: Bearer}; never logged
     * @param connectTimeout TCP/TLS connect timeout
     * @param readTimeout    how long one request may take in total
     */
    public record Homeserver(String baseUrl, String accessToken, Duration connectTimeout, Duration readTimeout) {
        public Homeserver {
            connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "keytrail.homeserver.connect-timeout");
            readTimeout = positive(readTimeout, Duration.ofSeconds(30), "keytrail.homeserver.read-timeout");
        }

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }

        @Override
        public String toString() {
            return "Homeserver[baseUrl=" + baseUrl + ", accessToken=" + (accessToken == null || accessToken.isBlank()
                    ? "none" : "(set)") + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
        }
    }

    /**
     * @param initialDelay delay before the first retry (before jitter)
     * @param factor       growth of the delay per attempt (at least 1)
     * @param maxDelay     upper bound of any delay, jitter included
     * @param maxAttempts  queries per user before giving up (the first query counts)
     * @param jitter       the delay is stretched by a random factor in [1, 1 + jitter]
     */
    public record Retry(Duration initialDelay, Double factor, Duration maxDelay, Integer maxAttempts, Double jitter) {
        public Retry {
            initialDelay = positive(initialDelay, Duration.ofSeconds(2), "keytrail.retry.initial-delay");
            factor = factor == null ? 2.0 : factor;
            maxDelay = positive(maxDelay, Duration.ofMinutes(15), "keytrail.retry.max-delay");
            maxAttempts = maxAttempts == null ? 12 : maxAttempts;
            jitter = jitter == null ? 1.5 : jitter;
            require(factor >= 1, "keytrail.retry.factor must be at least 1");
            require(maxAttempts >= 1, "keytrail.retry.max-attempts must be at least 1");
            require(jitter >= 0, "keytrail.retry.jitter must not be negative");
            require(maxDelay.compareTo(initialDelay) >= 0, "keytrail.retry.max-delay must not be below initial-delay");
        }
    }

    /**
     * @param window   how long the first due user waits for others to share its request
     * @param maxUsers users per request at most; a full batch goes out at once
     */
    public record Batch(Duration window, Integer maxUsers) {
        public Batch {
            window = window == null ? Duration.ofMillis(50) : window;
            maxUsers = maxUsers == null ? 100 : maxUsers;
            require(!window.isNegative(), "keytrail.batch.window must not be negative");
            require(maxUsers >= 1, "keytrail.batch.max-users must be at least 1");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String key) {
        Duration d = value == null ? fallback : value;
        require(!d.isNegative() && !d.isZero(), key + " must be positive");
        return d;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
