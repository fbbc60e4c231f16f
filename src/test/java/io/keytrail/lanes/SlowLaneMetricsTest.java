package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.keytrail.api.Keytrail;
import io.keytrail.directory.SessionView;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * The slow lane's metrics and the homeserver's health (ADR 0015), on the shared slow-lane engine: a
 * query that fails twice and then answers is timed under each outcome, schedules two retries, and the
 * re-decision it causes counts in the retry lane.
 */
class SlowLaneMetricsTest extends SlowLaneSpringTest {
    @Autowired
    Keytrail keytrail;

    @Autowired
    MeterRegistry registry;

    @Autowired
    @Qualifier("homeserverHealthIndicator")
    HealthIndicator homeserverHealth;

    @Test
    void failingThenAnsweringQuery_isTimedPerOutcome_countsItsRetries_andItsRedecisionInTheRetryLane() {
        TestAccount erin = RoomKeys.uniqueAccount("erin", "PHONE");
        ObjectNode erinKeys = KeysQueryBody.of(erin);
        AtomicInteger calls = new AtomicInteger();
        ROUTES.put(erin.userId(), request -> calls.incrementAndGet() <= 2
                ? new Reply(500, "{\"errcode\":\"M_UNKNOWN\"}") : Reply.json(erinKeys));
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(erin, "PHONE");
        long httpErrors = timed("http_error");
        long answered = timed("answered");
        double retries = count("keytrail.keys.query.retries.scheduled");
        double failures = count("keytrail.keys.query.failures");
        double retryLane = count("keytrail.room.keys", "lane", "retry", "outcome", "SenderUnverified");

        key.receiveOn(keytrail);

        LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(session(key).senderData())
                .isInstanceOf(SenderData.SenderUnverified.class));
        assertThat(count("keytrail.room.keys", "lane", "retry", "outcome", "SenderUnverified")).isGreaterThanOrEqualTo(retryLane + 1);
        assertThat(timed("http_error")).isGreaterThanOrEqualTo(httpErrors + 2);
        assertThat(timed("answered")).isGreaterThanOrEqualTo(answered + 1);
        assertThat(count("keytrail.keys.query.retries.scheduled")).isGreaterThanOrEqualTo(retries + 2);
        assertThat(count("keytrail.keys.query.failures")).isGreaterThanOrEqualTo(failures + 2);
    }

    @Test
    void configuredHomeserver_isReportedUpWhenItAnswers() {
        var health = homeserverHealth.health();

        assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("url")).isEqualTo(STUB.baseUrl() + "/_matrix/client/versions");
    }

    private SessionView session(RoomKeys.Prepared key) {
        return keytrail.session(RoomKeys.ROOM, key.sessionId()).orElseThrow();
    }

    private long timed(String outcome) {
        Timer timer = registry.find("keytrail.keys.query").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
