package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * Fast-lane benchmark: throughput and latency (p50/p99) of room-key ingestion while the slow lane
 * works against an answering homeserver, and while the homeserver is stalled. Every key comes from a
 * device not known yet, so every key wakes the slow lane. Runs in the normal suite with a small N
 * and only reports figures (no timing assertions); for a real run:
 *
 * <pre>mvn -B -o test -Dtest=FastLaneBenchmarkTest -Dkeytrail.bench.n=5000 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Add {@code -Dkeytrail.bench.laneOff=true} for the baseline without a homeserver (no slow lane at all).
 *
 * Figures go to the log and to {@code target/fast-lane-benchmark.txt}.
 */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext // its lane keeps retrying in the background; the stub is gone after the class
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FastLaneBenchmarkTest {
    private static final Logger log = LoggerFactory.getLogger(FastLaneBenchmarkTest.class);
    private static final int N = Integer.getInteger("keytrail.bench.n", 200);
    /** {@code -Dkeytrail.bench.laneOff=true}: no homeserver configured, the baseline without any slow lane. */
    private static final boolean LANE_OFF = Boolean.getBoolean("keytrail.bench.laneOff");
    /** Keys per sender: about ten sessions per user, so users also join running sagas. */
    private static final int KEYS_PER_USER = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StubHomeserver STUB = StubHomeserver.start();
    /** Each user's part of a /keys/query answer, signed before the measurement starts. */
    private static final Map<String, ObjectNode> KNOWN = new ConcurrentHashMap<>();
    private static volatile CountDownLatch stall = new CountDownLatch(0);

    static {
        STUB.respond(request -> {
            stall.await(5, TimeUnit.MINUTES);
            ObjectNode body = JSON.createObjectNode();
            for (String user : request.users()) {
                ObjectNode keys = KNOWN.get(user);
                if (keys != null) {
                    keys.properties().forEach(section -> ((ObjectNode) body.withObject(section.getKey()))
                            .setAll((ObjectNode) section.getValue()));
                }
            }
            return Reply.json(body);
        });
    }

    @DynamicPropertySource
    static void lane(DynamicPropertyRegistry registry) {
        registry.add("keytrail.homeserver.base-url", () -> LANE_OFF ? "" : STUB.baseUrl());
        registry.add("keytrail.homeserver.read-timeout", () -> "5s");
        registry.add("keytrail.retry.initial-delay", () -> "500ms");
        registry.add("db-scheduler.polling-interval", () -> "100ms");
        registry.add("keytrail.session-key-encryption-key", () -> RoomKeys.SEALING_KEY);
    }

    @AfterAll
    static void stopStub() {
        stall.countDown();
        STUB.close();
    }

    @Autowired
    Keytrail keytrail;

    @Test
    @Order(1)
    void warmUp() {
        ingest("warm-up", prepare("warm", Math.max(50, N / 10)));
    }

    @Test
    @Order(2)
    void ingestionWhileTheHomeserverAnswers() {
        List<RoomKeys.Prepared> keys = prepare("answering", N);
        report(ingest(LANE_OFF ? "slow lane off (baseline)" : "homeserver answering", keys));
        if (!LANE_OFF) {
            // the slow lane did its work meanwhile: the last key's sender gets resolved
            RoomKeys.Prepared last = keys.get(keys.size() - 1);
            await().atMost(Duration.ofMinutes(5)).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM,
                    last.sessionId()).orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
        }
    }

    @Test
    @Order(3)
    void ingestionWhileTheHomeserverIsStalled() {
        List<RoomKeys.Prepared> keys = prepare("stalled", N);
        stall = new CountDownLatch(1);
        try {
            int before = STUB.requests().size();
            Figures figures = ingest(LANE_OFF ? "slow lane off (baseline, 2nd run)" : "homeserver stalled", keys);
            report(figures);
            assertThat(stall.getCount()).as("the homeserver stayed stalled during the whole ingestion").isEqualTo(1);
            if (!LANE_OFF) {
                await().atMost(Duration.ofMinutes(1)).until(() -> STUB.requests().size() > before);
            }
        } finally {
            stall.countDown();
        }
    }

    private List<RoomKeys.Prepared> prepare(String label, int n) {
        List<RoomKeys.Prepared> keys = new ArrayList<>(n);
        List<TestAccount> users = new ArrayList<>();
        for (int u = 0; u < Math.max(1, n / KEYS_PER_USER); u++) {
            users.add(RoomKeys.uniqueAccount(label, "DEVICE"));
        }
        users.forEach(user -> KNOWN.put(user.userId(), KeysQueryBody.of(user)));
        for (int i = 0; i < n; i++) {
            keys.add(RoomKeys.fromUnknownDevice(users.get(i % users.size()), "DEVICE"));
        }
        return keys;
    }

    private Figures ingest(String scenario, List<RoomKeys.Prepared> keys) {
        long[] nanos = new long[keys.size()];
        long start = System.nanoTime();
        for (int i = 0; i < keys.size(); i++) {
            long t0 = System.nanoTime();
            keys.get(i).receiveOn(keytrail);
            nanos[i] = System.nanoTime() - t0;
        }
        return new Figures(scenario, keys.size(), System.nanoTime() - start, nanos);
    }

    private static void report(Figures f) {
        String line = f.describe();
        log.info(line);
        try {
            Path out = Path.of("target", "fast-lane-benchmark.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, Instant.now() + " " + line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("could not write the benchmark figures: {}", e.toString());
        }
    }

    record Figures(String scenario, int n, long totalNanos, long[] latencies) {
        String describe() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return String.format("fast lane, %s: N=%d, %.0f keys/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms", scenario, n,
                    n * 1e9 / totalNanos, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        }

        private static double percentile(long[] sorted, int p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
