package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.kagkarlsson.scheduler.boot.config.startup.AbstractSchedulerStarter;
import com.github.kagkarlsson.scheduler.boot.config.startup.ContextReadyStart;

import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.identity.IdentityEvents.KeysQueryAbandoned;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.directory.SessionView;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * The slow lane and background retry end to end: the whole engine and a real homeserver stub on loopback
 * (the shared {@link SlowLaneSpringTest} engine: retries after tens of milliseconds, deadlines polled
 * every few).
 */
class SlowLaneIntegrationTest extends SlowLaneSpringTest {
    private static final Logger log = LoggerFactory.getLogger(SlowLaneIntegrationTest.class);
    /**
     * Room keys per latency sample. The median of 11 is the 6th latency: a fast lane that waited for the
     * stalled homeserver would add the client's read timeout (seconds) to most keys, a thousand times the
     * millisecond medians compared here, so a larger sample would not make the check any sharper. (It was
     * 20 keys plus 10 to warm up; each key costs a user signed up front and a query answered behind it.)
     */
    private static final int SAMPLE = 11;

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeadlineManager deadlineManager;
    @Autowired
    ApplicationContext context;

    @Test
    void unknownDeviceIsQueriedAndResolvedToSenderUnverified_withoutFurtherInput() {
        TestAccount alice = RoomKeys.uniqueAccount("alice", "PHONE");
        ObjectNode aliceKeys = KeysQueryBody.of(alice); // built before any request: signing takes time
        ROUTES.put(alice.userId(), request -> Reply.json(aliceKeys));
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(alice, "PHONE");

        SessionView received = key.receiveOn(keytrail);

        assertThat(received.senderData()).isInstanceOf(SenderData.UnknownDevice.class);
        awaitSenderUnverified(key);
        assertThat(STUB.requestsFor(alice.userId())).hasSize(1)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + ACCESS_TOKEN));
        awaitSagaEnded(alice.userId());
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheAnswerResolvesTheSession() {
        TestAccount bob = RoomKeys.uniqueAccount("bob", "LAPTOP");
        ObjectNode bobKeys = KeysQueryBody.of(bob); // built before any request: signing takes time
        AtomicInteger calls = new AtomicInteger();
        ROUTES.put(bob.userId(), request -> calls.incrementAndGet() <= 2
                ? new Reply(500, "{\"errcode\":\"M_UNKNOWN\"}") : Reply.json(bobKeys));
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(bob, "LAPTOP");

        key.receiveOn(keytrail);

        awaitSenderUnverified(key);
        assertThat(STUB.requestsFor(bob.userId())).hasSize(3);
        assertThat(identityEvents(bob.userId())).filteredOn(KeysQueryFailed.class::isInstance)
                .extracting(e -> ((KeysQueryFailed) e).attempt()).containsExactly(1, 2);
        awaitSagaEnded(bob.userId());
    }

    @Test
    void deviceAbsentFromEveryAnswerIsRetriedThenAbandoned_theSessionKeepsItsSenderData() {
        TestAccount carol = RoomKeys.uniqueAccount("carol", "TABLET", "PHONE");
        // The homeserver knows carol's PHONE only; her sessions come from TABLET.
        ObjectNode phoneOnly = new KeysQueryBody().account(carol).remove("device_keys", carol.userId())
                .device(carol, "PHONE", DeviceSigning.CROSS_SIGNED).build();
        ROUTES.put(carol.userId(), request -> Reply.json(phoneOnly));
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(carol, "TABLET");

        key.receiveOn(keytrail);

        LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(identityEvents(carol.userId()))
                .filteredOn(KeysQueryAbandoned.class::isInstance).hasSize(1));
        KeysQueryAbandoned abandoned = (KeysQueryAbandoned) identityEvents(carol.userId()).stream()
                .filter(KeysQueryAbandoned.class::isInstance).findFirst().orElseThrow();
        assertThat(abandoned.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(abandoned.missingCurveKeys()).containsExactly(key.senderKey());
        assertThat(STUB.requestsFor(carol.userId())).hasSize(MAX_ATTEMPTS);
        assertThat(session(key).senderData()).isInstanceOf(SenderData.UnknownDevice.class);
        awaitSagaEnded(carol.userId());
    }

    @Test
    void stalledHomeserverLeavesTheFastLaneAsFastAsWhenItAnswers() {
        // Both runs alike: every key from a user of its own, so every key starts a query.
        Map<String, ObjectNode> known = new ConcurrentHashMap<>();
        CountDownLatch stall = new CountDownLatch(1);
        List<RoomKeys.Prepared> warmUp = fromNewUsers("warm", SAMPLE / 2, known, request -> keysOf(request, known));
        List<RoomKeys.Prepared> answering = fromNewUsers("quick", SAMPLE, known, request -> keysOf(request, known));
        List<RoomKeys.Prepared> stalled = fromNewUsers("dave", SAMPLE + 1, known, request -> {
            stall.await(60, TimeUnit.SECONDS);
            return keysOf(request, known);
        });
        String firstStalled = stalled.get(0).sender();
        ingest(warmUp);
        long answeringMedian = median(ingest(answering));
        // The answers of the answering run are recorded behind it: let that work end before the stalled run,
        // so that the stalled run's latencies compete with nothing but the stall itself.
        for (RoomKeys.Prepared key : concat(warmUp, answering)) {
            awaitSenderUnverified(key);
            awaitSagaEnded(key.sender());
        }
        try {
            stalled.get(0).receiveOn(keytrail);
            LaneAwait.within(PATIENCE).until(() -> !STUB.holdingFor(firstStalled).isEmpty());

            long stalledMedian = median(ingest(stalled.subList(1, stalled.size())));

            assertThat(STUB.holdingFor(firstStalled)).as("the homeserver still holds the first query").isNotEmpty();
            assertThat(stalled).as("no answer came back about any stalled user meanwhile")
                    .allSatisfy(key -> assertThat(STUB.answeredFor(key.sender())).isEmpty());
            log.info("fast lane median latency: {} us while the homeserver answers, {} us while it is stalled",
                    answeringMedian / 1000, stalledMedian / 1000);
            assertNoSlowerWhileStalled(stalledMedian, answeringMedian);
        } finally {
            stall.countDown();
        }
        for (RoomKeys.Prepared key : stalled) {
            awaitSenderUnverified(key);
            awaitSagaEnded(key.sender());
        }
    }

    @Test
    void lateKeysFromAnotherSourceResolveTheSessionAndEndTheWait_whileTheQueryIsStalled() {
        TestAccount erin = RoomKeys.uniqueAccount("erin", "PHONE");
        ObjectNode erinKeys = KeysQueryBody.of(erin); // built before any request: signing takes time
        CountDownLatch stall = new CountDownLatch(1);
        ROUTES.put(erin.userId(), request -> {
            stall.await(60, TimeUnit.SECONDS);
            return Reply.json(erinKeys);
        });
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(erin, "PHONE");
        try {
            key.receiveOn(keytrail);
            LaneAwait.within(PATIENCE).until(() -> STUB.requestsFor(erin.userId()).size() == 1);

            keytrail.recordKeysQuery(erinKeys); // e.g. the embedding service's own /keys/query

            assertThat(session(key).senderData()).isInstanceOf(SenderData.SenderUnverified.class);
            awaitSagaEnded(erin.userId());
            assertThat(STUB.answeredFor(erin.userId())).as("the homeserver never answered about erin").isEmpty();
        } finally {
            stall.countDown();
        }
    }

    @Test
    void waitingSagaIsStoredWithItsState_andItsDeadlinesLiveInDbScheduler() {
        assertThat(deadlineManager).isInstanceOf(DbSchedulerDeadlineManager.class);
        // Its events reach the saga as soon as an input commits (ADR 0029), not after the reader's fetch delay.
        assertThat(eventStore.getClass().getName()).isEqualTo("io.keytrail.api.CommitAwareEventStore");
        // Overdue deadlines at a restart must wait for Axon's beans (else they fail and wait 5 minutes).
        assertThat(context.getBean(AbstractSchedulerStarter.class)).isInstanceOf(ContextReadyStart.class);
        TestAccount frank = RoomKeys.uniqueAccount("frank", "PHONE");
        ObjectNode frankKeys = KeysQueryBody.of(frank); // built before any request: signing takes time
        CountDownLatch stall = new CountDownLatch(1);
        ROUTES.put(frank.userId(), request -> {
            stall.await(60, TimeUnit.SECONDS);
            return Reply.json(frankKeys);
        });
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(frank, "PHONE");
        try {
            key.receiveOn(keytrail);
            LaneAwait.within(PATIENCE).until(() -> sagaIdOf(frank.userId()) != null);

            String stored = jdbc.queryForObject("select serialized_saga from saga_entry where saga_id = ?",
                    (rs, i) -> new String(rs.getBytes(1), StandardCharsets.UTF_8), sagaIdOf(frank.userId()));
            assertThat(JSON.readTree(stored).path("userId").asText()).isEqualTo(frank.userId());
            assertThat(JSON.readTree(stored).path("missingCurveKeys")).hasSize(1);
            assertThat(JSON.readTree(stored).path("missingCurveKeys").get(0).asText()).isEqualTo(key.senderKey());
            assertThat(JSON.readTree(stored).path("inFlight").asBoolean()).isTrue();
            assertThat(JSON.readTree(stored).path("attempts").asInt()).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_name like '%Deadline%'",
                    Integer.class)).isPositive();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            stall.countDown();
        }
        awaitSenderUnverified(key);
    }

    /** One room key from each of {@code n} new users, whose queries {@code route} answers (keys signed up front). */
    private static List<RoomKeys.Prepared> fromNewUsers(String name, int n, Map<String, ObjectNode> known,
                                                        StubHomeserver.Responder route) {
        List<RoomKeys.Prepared> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TestAccount user = RoomKeys.uniqueAccount(name, "DESKTOP");
            known.put(user.userId(), KeysQueryBody.of(user));
            ROUTES.put(user.userId(), route);
            keys.add(RoomKeys.fromUnknownDevice(user, "DESKTOP"));
        }
        return keys;
    }

    /** Receives each key; its latency (ns) each. Every key comes from an unknown device: it wakes the slow lane. */
    private long[] ingest(List<RoomKeys.Prepared> keys) {
        long[] nanos = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            long t0 = System.nanoTime();
            SessionView received = keys.get(i).receiveOn(keytrail);
            nanos[i] = System.nanoTime() - t0;
            assertThat(received.senderData()).isInstanceOf(SenderData.UnknownDevice.class);
        }
        return nanos;
    }

    private static List<RoomKeys.Prepared> concat(List<RoomKeys.Prepared> first, List<RoomKeys.Prepared> second) {
        List<RoomKeys.Prepared> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void awaitSenderUnverified(RoomKeys.Prepared key) {
        LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(session(key).senderData())
                .isInstanceOf(SenderData.SenderUnverified.class));
    }

    private SessionView session(RoomKeys.Prepared key) {
        return keytrail.session(RoomKeys.ROOM, key.sessionId()).orElseThrow();
    }

    private void awaitSagaEnded(String userId) {
        LaneAwait.within(PATIENCE).until(() -> sagaIdOf(userId) == null);
    }

    private String sagaIdOf(String userId) {
        List<String> ids = jdbc.queryForList("select saga_id from association_value_entry where association_key = ? "
                + "and association_value = ?", String.class, KeysQuerySaga.USER, userId);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private List<Object> identityEvents(String userId) {
        return eventStore.readEvents(userId).asStream().map(e -> (Object) e.getPayload()).toList();
    }
}
