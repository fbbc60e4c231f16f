package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final LaneProperties.Retry DEFAULTS = new LaneProperties.Retry(null, null, null, null, null);

    @Test
    void defaultFirstRetryComesAfterTwoToFiveSeconds() {
        assertThat(new Backoff(DEFAULTS, () -> 0.0).delayBefore(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new Backoff(DEFAULTS, () -> 0.999_999).delayBefore(1))
                .isBetween(Duration.ofMillis(4_990), Duration.ofSeconds(5));
    }

    @Test
    void delayDoublesPerRetryWithoutJitter() {
        Backoff backoff = new Backoff(DEFAULTS, () -> 0.0);
        assertThat(backoff.delayBefore(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayBefore(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delayBefore(6)).isEqualTo(Duration.ofSeconds(64));
    }

    @Test
    void jitterStretchesTheDelayByUpToOnePlusJitter() {
        assertThat(new Backoff(DEFAULTS, () -> 0.5).delayBefore(3)).isEqualTo(Duration.ofMillis(8_000 + 6_000));
    }

    @Test
    void noDelayEverExceedsTheMaximum_evenWithFullJitterOrHugeRetryNumbers() {
        Backoff highest = new Backoff(DEFAULTS, () -> 0.999_999_9);
        for (int retry = 1; retry <= 1_000; retry++) {
            assertThat(highest.delayBefore(retry)).isLessThanOrEqualTo(Duration.ofMinutes(15));
        }
        assertThat(highest.delayBefore(Integer.MAX_VALUE)).isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void jitterStillSpreadsRetriesOnceTheCapIsReached() {
        Duration low = new Backoff(DEFAULTS, () -> 0.0).delayBefore(50);
        Duration high = new Backoff(DEFAULTS, () -> 0.999_999_9).delayBefore(50);
        assertThat(low).isEqualTo(Duration.ofMinutes(6)); // 15 min / (1 + 1.5)
        assertThat(high).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void attemptsRunOutAtMaxAttempts() {
        Backoff backoff = new Backoff(new LaneProperties.Retry(null, null, null, 3, null), () -> 0.0);
        assertThat(backoff.exhausted(2)).isFalse();
        assertThat(backoff.exhausted(3)).isTrue();
    }

    @Test
    void nonsenseSettingsAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new LaneProperties.Retry(null, 0.5, null, null, null))
                .hasMessageContaining("keytrail.retry.factor");
        assertThatThrownBy(() -> new LaneProperties.Retry(null, null, null, 0, null))
                .hasMessageContaining("keytrail.retry.max-attempts");
        assertThatThrownBy(() -> new LaneProperties.Retry(Duration.ZERO, null, null, null, null))
                .hasMessageContaining("keytrail.retry.initial-delay");
        assertThatThrownBy(() -> new LaneProperties.Retry(Duration.ofMinutes(20), null, null, null, null))
                .hasMessageContaining("keytrail.retry.max-delay");
        assertThatThrownBy(() -> new LaneProperties.Batch(null, 0)).hasMessageContaining("keytrail.batch.max-users");
        assertThatThrownBy(() -> new LaneProperties.Homeserver("http://x", null, null, Duration.ofSeconds(-1)))
                .hasMessageContaining("keytrail.homeserver.read-timeout");
    }

    @Test
    void theAccessTokenNeverAppearsInTheSettingsDescription() {
        LaneProperties.Homeserver hs = new LaneProperties.Homeserver("https://hs.example", "syt_secret", null, null);
        assertThat(hs.toString()).doesNotContain("syt_secret").contains("(set)");
    }
}
