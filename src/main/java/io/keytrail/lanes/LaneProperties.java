package io.keytrail.lanes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Slow lane and background retry settings ({@code keytrail.homeserver.*}, {@code keytrail.retry.*}).
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

    public record Homeserver(String baseUrl, String accessToken, Duration connectTimeout, Duration readTimeout) {
        public Homeserver {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
        }

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }
    }

    /**
     * @param initialDelay delay before the first retry (before jitter)
     * @param factor       growth of the delay per attempt
     * @param maxDelay     cap on the delay
     * @param maxAttempts  queries per user before giving up (the first query counts)
     * @param jitter       the delay is stretched by a random factor in [1, 1 + jitter]
     */
    public record Retry(Duration initialDelay, Double factor, Duration maxDelay, Integer maxAttempts, Double jitter) {
        public Retry {
            initialDelay = initialDelay == null ? Duration.ofSeconds(2) : initialDelay;
            factor = factor == null ? 2.0 : factor;
            maxDelay = maxDelay == null ? Duration.ofMinutes(15) : maxDelay;
            maxAttempts = maxAttempts == null ? 12 : maxAttempts;
            jitter = jitter == null ? 1.5 : jitter;
        }
    }

    /**
     * @param window   how long the first due user waits for others to share its request
     * @param maxUsers users per request at most
     */
    public record Batch(Duration window, Integer maxUsers) {
        public Batch {
            window = window == null ? Duration.ofMillis(50) : window;
            maxUsers = maxUsers == null ? 100 : maxUsers;
        }
    }
}
