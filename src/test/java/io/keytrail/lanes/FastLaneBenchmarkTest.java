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

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * Fast-lane benchmark: throughput and latency (p50/p99) of room-key ingestion while the slow lane
 * works against an answering homeserver, and while the homeserver is stalled. Every key comes from a
 * device not known yet, so every key wakes the slow lane. Runs in the normal suite with a small N, in
 * the shared slow-lane engine ({@link SlowLaneSpringTest}); the one timing assertion is relative: the
 * median latency while the homeserver is stalled stays within 3x (plus a few ms) of the same run's
 * median while it answers. For a real run:
 *
 * <pre>mvn -B -o test -Dtest=FastLaneBenchmarkTest -Dkeytrail.bench.n=5000 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Add {@code -Dkeytrail.bench.laneOff=true} for the baseline without a homeserver (no slow lane at all).
 *
 * Figures go to the log and to {@code target/fast-lane-benchmark.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FastLaneBenchmarkTest extends SlowLaneSpringTest {
    private static final Logger log = LoggerFactory.getLogger(FastLaneBenchmarkTest.class);
    private static final int N = Integer.getInteger("keytrail.bench.n", 100);
    /** {@code -Dkeytrail.bench.laneOff=true}: no homeserver configured, the baseline without any slow lane. */
    private static final boolean LANE_OFF = Boolean.getBoolean("keytrail.bench.laneOff");
    /** Keys per sender: about ten sessions per user, so users also join running sagas. */
    private static final int KEYS_PER_USER = 10;
    /** Each user's part of a /keys/query answer, signed before the measurement starts. */
    private static final Map<String, ObjectNode> KNOWN = new ConcurrentHashMap<>();
    private static volatile CountDownLatch stall = new CountDownLatch(0);
    /** The benchmark's users answer once {@link #stall} is open. */
    private static final StubHomeserver.Responder BENCHMARK_USERS = request -> {
        stall.await(5, TimeUnit.MINUTES);
        return keysOf(request, KNOWN);
    };
    /** The figures of the run while the homeserver answers: the reference for the stalled run. */
    private static Figures answering;

    @AfterAll
    static void openTheStall() {
        stall.countDown();
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
        answering = ingest(LANE_OFF ? "slow lane off (baseline)" : "homeserver answering", keys);
        report(answering);
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
            if (!LANE_OFF) { // the first key's query reaches the homeserver and is held there
                keys.get(0).receiveOn(keytrail);
                await().atMost(PATIENCE).until(() -> !STUB.holdingFor(keys.get(0).sender()).isEmpty());
            }
            Figures stalled = ingest(LANE_OFF ? "slow lane off (baseline, 2nd run)" : "homeserver stalled",
                    keys.subList(1, keys.size()));
            report(stalled);
            if (!LANE_OFF) {
                assertThat(STUB.holdingFor(keys.get(0).sender())).as("the homeserver still holds the first query")
                        .isNotEmpty();
                assertThat(keys).as("no answer came back about any stalled user meanwhile")
                        .allSatisfy(key -> assertThat(STUB.answeredFor(key.sender())).isEmpty());
            }
            assertNoSlowerWhileStalled(stalled.median(), answering.median());
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
        users.forEach(user -> {
            KNOWN.put(user.userId(), KeysQueryBody.of(user));
            ROUTES.put(user.userId(), BENCHMARK_USERS);
        });
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
        long median() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return (long) percentile(sorted, 50);
        }

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
