package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The slow lane and background retry end to end: the whole engine, a real homeserver stub on loopback,
 * db-scheduler deadlines polled every 100 ms and retries after about 100 ms.
 */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext // its lane keeps retrying in the background; the stub is gone after the class
class SlowLaneIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(SlowLaneIntegrationTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int MAX_ATTEMPTS = 4;
    private static final StubHomeserver STUB = StubHomeserver.start();
    /** How the stub answers each test's user; users nobody routed get an empty answer. */
    private static final Map<String, StubHomeserver.Responder> ROUTES = new ConcurrentHashMap<>();

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

    @DynamicPropertySource
    static void lane(DynamicPropertyRegistry registry) {
        registry.add("keytrail.homeserver.base-url", STUB::baseUrl);
        registry.add("keytrail.homeserver.access-token", () -> "syt_integration_token");
        registry.add("keytrail.homeserver.read-timeout", () -> "3s");
        registry.add("keytrail.retry.initial-delay", () -> "100ms");
        registry.add("keytrail.retry.max-delay", () -> "1s");
        registry.add("keytrail.retry.max-attempts", () -> String.valueOf(MAX_ATTEMPTS));
        registry.add("db-scheduler.polling-interval", () -> "100ms");
        registry.add("keytrail.session-key-encryption-key", () -> RoomKeys.SEALING_KEY);
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

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
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer syt_integration_token"));
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

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(identityEvents(carol.userId()))
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
    void stalledHomeserverLeavesTheFastLaneAtFullSpeed() {
        TestAccount dave = RoomKeys.uniqueAccount("dave", "DESKTOP");
        ObjectNode daveKeys = KeysQueryBody.of(dave); // built before any request: signing takes time
        CountDownLatch stall = new CountDownLatch(1);
        ROUTES.put(dave.userId(), request -> {
            stall.await(60, TimeUnit.SECONDS);
            return Reply.json(daveKeys);
        });
        int n = 100;
        List<RoomKeys.Prepared> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(RoomKeys.fromUnknownDevice(dave, "DESKTOP"));
        }
        try {
            keys.get(0).receiveOn(keytrail);
            await().atMost(PATIENCE).until(() -> STUB.requestsFor(dave.userId()).size() == 1);

            long start = System.nanoTime();
            for (RoomKeys.Prepared key : keys.subList(1, n)) {
                assertThat(key.receiveOn(keytrail).senderData()).isInstanceOf(SenderData.UnknownDevice.class);
            }
            long elapsed = System.nanoTime() - start;

            assertThat(stall.getCount()).as("the homeserver was stalled during the whole ingestion").isEqualTo(1);
            log.info("fast lane with a stalled homeserver: {} room keys in {} ms ({} keys/s)", n - 1,
                    elapsed / 1_000_000, String.format("%.0f", (n - 1) * 1e9 / elapsed));
        } finally {
            stall.countDown();
        }
        keys.forEach(this::awaitSenderUnverified);
        awaitSagaEnded(dave.userId());
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
            await().atMost(PATIENCE).until(() -> STUB.requestsFor(erin.userId()).size() == 1);

            keytrail.recordKeysQuery(erinKeys); // e.g. the embedding service's own /keys/query

            assertThat(session(key).senderData()).isInstanceOf(SenderData.SenderUnverified.class);
            awaitSagaEnded(erin.userId());
            assertThat(stall.getCount()).isEqualTo(1);
        } finally {
            stall.countDown();
        }
    }

    @Test
    void waitingSagaIsStoredWithItsState_andItsDeadlinesLiveInDbScheduler() {
        assertThat(deadlineManager).isInstanceOf(DbSchedulerDeadlineManager.class);
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
            await().atMost(PATIENCE).until(() -> sagaIdOf(frank.userId()) != null);

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

    private void awaitSenderUnverified(RoomKeys.Prepared key) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(session(key).senderData())
                .isInstanceOf(SenderData.SenderUnverified.class));
    }

    private SessionView session(RoomKeys.Prepared key) {
        return keytrail.session(RoomKeys.ROOM, key.sessionId()).orElseThrow();
    }

    private void awaitSagaEnded(String userId) {
        await().atMost(PATIENCE).until(() -> sagaIdOf(userId) == null);
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
