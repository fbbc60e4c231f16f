package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.KeytrailApplication;
import io.keytrail.lanes.StubHomeserver.Reply;

/**
 * The one slow-lane engine that the slow-lane test classes share (extend this class and add no
 * properties of your own, or you boot another engine): profile "test" plus one stub homeserver on
 * loopback, started once for the JVM, and timings shrunk so that nothing waits on a real timer.
 * Retries come after {@value #RETRY_MILLIS} ms, 2x, 4x... without jitter, db-scheduler looks for due
 * deadlines every {@value #POLLING_MILLIS} ms, and tests wait for outcomes with {@link LaneAwait} (checked at once, then every few ms).
 *
 * <p>Each test routes its own (unique) users: {@code ROUTES.put(userId, responder)}. A request is
 * answered by the route of the first routed user it asks for; a request for nobody routed gets an empty
 * answer.
 */
@SpringBootTest(classes = KeytrailApplication.class)
@ActiveProfiles("test")
abstract class SlowLaneSpringTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCESS_TOKEN = "syt_integration_token";
    static final int MAX_ATTEMPTS = 4;
    static final long RETRY_MILLIS = 20;
    static final long POLLING_MILLIS = 25;
    /** How long a test waits for an outcome at most: generous for a busy machine, never waited when all goes well. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** What a stalled homeserver may add to the fast lane's median latency beyond 3x: noise, not waiting. */
    static final Duration MEDIAN_SLACK = Duration.ofMillis(5);
    static final StubHomeserver STUB = StubHomeserver.start();
    static final Map<String, StubHomeserver.Responder> ROUTES = new ConcurrentHashMap<>();

    static {
        STUB.respond(request -> {
            for (String user : request.users()) {
                StubHomeserver.Responder route = ROUTES.get(user);
                if (route != null) {
                    return route.reply(request);
                }
            }
            return Reply.json(JSON.createObjectNode());
        });
    }

    /** The keys of every user the request asks for that {@code known} has, as one {@code /keys/query} answer. */
    static Reply keysOf(StubHomeserver.Request request, Map<String, ObjectNode> known) {
        ObjectNode body = JSON.createObjectNode();
        for (String user : request.users()) {
            ObjectNode keys = known.get(user);
            if (keys != null) {
                keys.properties().forEach(section -> ((ObjectNode) body.withObject(section.getKey()))
                        .setAll((ObjectNode) section.getValue()));
            }
        }
        return Reply.json(body);
    }

    /**
     * A stalled homeserver must not hold the fast lane: the median latency of room keys received while it
     * holds a query stays within 3x (plus {@link #MEDIAN_SLACK} of noise) of the same run's median while
     * it answers. Relative, so that a busy machine slows both alike; a fast lane that waited for the
     * homeserver would take the client's read timeout (seconds) per key.
     */
    static void assertNoSlowerWhileStalled(long stalledMedianNanos, long answeringMedianNanos) {
        assertThat(stalledMedianNanos).as("median latency (ns) while the homeserver is stalled, against %d ns while "
                + "it answers", answeringMedianNanos).isLessThanOrEqualTo(3 * answeringMedianNanos + MEDIAN_SLACK.toNanos());
    }

    @DynamicPropertySource
    static void slowLane(DynamicPropertyRegistry registry) {
        // -Dkeytrail.bench.laneOff=true: the fast-lane benchmark's baseline without any slow lane.
        registry.add("keytrail.homeserver.base-url", () -> Boolean.getBoolean("keytrail.bench.laneOff") ? ""
                : STUB.baseUrl());
        registry.add("keytrail.homeserver.access-token", () -> ACCESS_TOKEN);
        // Generous: a query counts as failed only when a test makes it fail, never because the machine is busy.
        registry.add("keytrail.homeserver.read-timeout", () -> "10s");
        registry.add("keytrail.retry.initial-delay", () -> RETRY_MILLIS + "ms");
        registry.add("keytrail.retry.max-delay", () -> "1s");
        registry.add("keytrail.retry.jitter", () -> "0");
        registry.add("keytrail.retry.max-attempts", () -> String.valueOf(MAX_ATTEMPTS));
        registry.add("db-scheduler.polling-interval", () -> POLLING_MILLIS + "ms");
    }
}
