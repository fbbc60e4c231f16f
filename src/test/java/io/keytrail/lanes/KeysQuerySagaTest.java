package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.deadline.DeadlineManager;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.AbandonKeysQuery;
import io.keytrail.trust.Rule;
import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.lanes.KeysQuerySaga.QueryDue;
import io.keytrail.lanes.KeysQuerySaga.QueryTimeout;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.ImportSource;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.SenderData;

/** Every transition of the keys-query saga, on Axon's saga fixture with a fake outgoing side. */
class KeysQuerySagaTest {
    private static final String ALICE = "@alice:example.org";
    private static final String CURVE_1 = "curveKeyOfAlicePhone";
    private static final String CURVE_2 = "curveKeyOfAliceLaptop";
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(40);
    private static final int MAX_ATTEMPTS = 3;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SagaTestFixture<KeysQuerySaga> fixture;
    private FakeLane lane;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(KeysQuerySaga.class);
        lane = new FakeLane();
        fixture.registerResource(lane);
        fixture.registerResource(new FixtureClock(fixture::currentTime));
    }

    @Test
    void unknownDeviceStartsTheSaga_asksOnce_andGuardsTheQueryWithATimeout() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(unknownDevice(CURVE_1))
                .expectSuccessfulHandlerExecution()
                .expectActiveSagas(1)
                .expectAssociationWith(KeysQuerySaga.USER, ALICE)
                .expectScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 1))
                .expectNoDispatchedCommands();
        assertThat(lane.requests).containsExactly(ALICE + "#1");
    }

    @Test
    void identityWantedStartsTheSaga() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(identityWanted())
                .expectActiveSagas(1);
        assertThat(lane.requests).containsExactly(ALICE + "#1");
    }

    /**
     * The saga reads no session event but {@code SenderKeysWanted} (ADR 0019): a receipt, even from an
     * unknown device, or an import, starts nothing by itself (whether a decision wants keys is
     * {@code session.KeysWanted}'s rule, tested there and on the aggregate).
     */
    @Test
    void receiptFromAnUnknownDeviceStartsNothingByItself_onlyTheKeysWantedEventDoes() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(new SessionReceived("!room:example.org", "session-" + CURVE_1, ALICE, CURVE_1,
                        "claimedEd25519", false, 0, "sealed", SenderData.unknown(), Rule.NO_DEVICE,
                        new DecisionEvidence(null, null, null, null, false, false)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(lane.requests).isEmpty();
    }

    @Test
    void importNamingItsOwnerStartsNothingByItself_itsKeysWantedEventDoes() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(new SessionImported("!room:example.org", "imported-" + CURVE_1,
                        ImportSource.KEY_EXPORT, CURVE_1, "claimedEd25519", java.util.List.of(), false, 0, "sealed",
                        SenderData.legacy(), Rule.IMPORTED, ALICE, null, null))
                .expectActiveSagas(0);
        assertThat(lane.requests).isEmpty();
    }

    @Test
    void importClaimingAnOwnerStartsTheSagaForTheClaimedUser_andItsDeviceEndsIt() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(claimedImport(ALICE, CURVE_1))
                .expectActiveSagas(1)
                .expectAssociationWith(KeysQuerySaga.USER, ALICE)
                .expectScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 1));
        assertThat(lane.requests).containsExactly(ALICE + "#1");
        fixture.givenAPublished(claimedImport(ALICE, CURVE_1))
                .whenPublishingA(fetched(fixture.currentTime(), "PHONE", CURVE_1))
                .expectActiveSagas(0);
    }

    @Test
    void withoutAHomeserverNothingStarts_keysComeOnlyFromInputs() {
        lane.enabled = false;
        fixture.givenNoPriorActivity()
                .whenPublishingA(unknownDevice(CURVE_1))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(lane.requests).isEmpty();
    }

    @Test
    void secondSessionOfTheSameUserJoinsTheQueryInFlight() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(unknownDevice(CURVE_2))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();
        assertThat(lane.requests).containsExactly(ALICE + "#1");
    }

    @Test
    void sessionJoiningWhileARetryIsScheduledWaitsForThatRetry() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                .whenPublishingA(unknownDevice(CURVE_2))
                .expectActiveSagas(1)
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2));
        assertThat(lane.requests).containsExactly(ALICE + "#1");
    }

    @Test
    void keysWithTheAwaitedDeviceEndTheSagaAndCancelItsTimeout() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(fetched(fixture.currentTime(), "PHONE", CURVE_1))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void keysWithOnlyOneOfTwoAwaitedDevicesScheduleARetryForTheOther() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(unknownDevice(CURVE_2))
                .whenPublishingA(fetched(fixture.currentTime(), "PHONE", CURVE_1))
                .expectActiveSagas(1)
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2))
                .expectNoScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 1));
    }

    @Test
    void answerWithoutTheDeviceSchedulesARetry() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(fetched(fixture.currentTime(), "OTHER", "someOtherCurveKey"))
                .expectActiveSagas(1)
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2));
    }

    @Test
    void failureSchedulesARetryAndDropsTheResponseTimeout() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(failed(1))
                .expectActiveSagas(1)
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2))
                .expectNoScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 1))
                .expectNoDispatchedCommands();
    }

    @Test
    void dueRetryAsksAgainWithTheNextAttemptNumber() throws Exception {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                .whenTimeElapses(Duration.ofSeconds(2))
                .expectDeadlinesMet(new QueryDue(ALICE, 2))
                .expectScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 2));
        assertThat(lane.requests).containsExactly(ALICE + "#1", ALICE + "#2");
    }

    @Test
    void delaysGrowExponentiallyBetweenRetries() throws Exception {
        lane.maxAttempts = 10;
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                .andThenTimeElapses(Duration.ofSeconds(2))
                .andThenAPublished(failed(2))
                .andThenTimeElapses(Duration.ofSeconds(4))
                .whenPublishingA(failed(3))
                .expectScheduledDeadline(Duration.ofSeconds(8), new QueryDue(ALICE, 4))
                .expectNoDispatchedCommands();
        assertThat(lane.requests).containsExactly(ALICE + "#1", ALICE + "#2", ALICE + "#3");
    }

    @Test
    void lastFailureGivesUp_recordsAbandonment_andEnds() throws Exception {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                .andThenTimeElapses(Duration.ofSeconds(2))
                .andThenAPublished(failed(2))
                .andThenTimeElapses(Duration.ofSeconds(4))
                .whenPublishingA(failed(MAX_ATTEMPTS))
                .expectDispatchedCommands(new AbandonKeysQuery(ALICE, MAX_ATTEMPTS, Set.of(CURVE_1)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void lateKeysFromAnySourceEndTheSagaWhileARetryIsScheduled() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                // e.g. a keys_query_response input, recorded now
                .whenPublishingA(fetched(fixture.currentTime().plusMillis(500), "PHONE", CURVE_1))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void olderKeysShowingTheDeviceStillEndTheWait() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(fetched(fixture.currentTime().minusSeconds(60), "PHONE", CURVE_1))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void olderKeysWithoutTheDeviceDoNotAnswerTheQueryInFlight() {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenPublishingA(fetched(fixture.currentTime().minusSeconds(60), "OTHER", "someOtherCurveKey"))
                .expectActiveSagas(1)
                .expectScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 1))
                .expectNoScheduledDeadlineWithName(Duration.ofSeconds(2), KeysQuerySaga.QUERY_DUE);
    }

    @Test
    void staleFailureOfAnEarlierAttemptIsIgnored() throws Exception {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1))
                .andThenTimeElapses(Duration.ofSeconds(2))
                .whenPublishingA(failed(1))
                .expectActiveSagas(1)
                .expectScheduledDeadline(RESPONSE_TIMEOUT, new QueryTimeout(ALICE, 2))
                .expectNoScheduledDeadlineWithName(Duration.ofSeconds(4), KeysQuerySaga.QUERY_DUE)
                .expectNoDispatchedCommands();
        assertThat(lane.requests).containsExactly(ALICE + "#1", ALICE + "#2");
    }

    @Test
    void noAnswerInTimeIsRecordedAsAFailureAndRetried() throws Exception {
        Instant askedAt = fixture.currentTime();
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .whenTimeElapses(RESPONSE_TIMEOUT)
                .expectDeadlinesMet(new QueryTimeout(ALICE, 1))
                .expectDispatchedCommands(new RecordKeysQueryFailure(ALICE, askedAt, 1,
                        "no answer within " + RESPONSE_TIMEOUT))
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2))
                .expectActiveSagas(1);
    }

    @Test
    void failureRecordOfATimedOutAttemptDoesNotScheduleASecondRetry() throws Exception {
        fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenTimeElapses(RESPONSE_TIMEOUT)
                .whenPublishingA(failed(1))
                .expectScheduledDeadline(Duration.ofSeconds(2), new QueryDue(ALICE, 2))
                .expectNoDispatchedCommands();
    }

    @Test
    void identityOnlyWaitEndsWithAnyFreshAnswer_aUserWithoutCrossSigningHasNone() {
        fixture.givenAPublished(identityWanted())
                .whenPublishingA(fetched(fixture.currentTime(), "PHONE", CURVE_1))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void retryDueAfterTheHomeserverWasUnconfiguredEndsTheSagaQuietly() throws Exception {
        var given = fixture.givenAPublished(unknownDevice(CURVE_1))
                .andThenAPublished(failed(1));
        lane.enabled = false;
        given.whenTimeElapses(Duration.ofSeconds(2))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
        assertThat(lane.requests).containsExactly(ALICE + "#1");
    }

    /** What an import naming its owner and claimed device records (ADR 0018). */
    private static SenderKeysWanted claimedImport(String claimedUser, String curveKey) {
        return new SenderKeysWanted("!room:example.org", "imported-" + curveKey, claimedUser, curveKey, false);
    }

    /** What a receipt from a device we do not know records. */
    private static SenderKeysWanted unknownDevice(String curveKey) {
        return new SenderKeysWanted("!room:example.org", "session-" + curveKey, ALICE, curveKey, false);
    }

    /** What a receipt from a known device of a user without a known identity records. */
    private static SenderKeysWanted identityWanted() {
        return new SenderKeysWanted("!room:example.org", "session-" + CURVE_1, ALICE, null, true);
    }

    private static KeysQueryFailed failed(int attempt) {
        return new KeysQueryFailed(ALICE, Instant.EPOCH, attempt, "HTTP 500");
    }

    private static DeviceKeysFetched fetched(Instant requestedAt, String deviceId, String curveKey) {
        return new DeviceKeysFetched(ALICE, requestedAt, true, Map.of(deviceId, deviceKeys(deviceId, curveKey)),
                Set.of(deviceId), Set.of(), Set.of(), Set.of());
    }

    private static ObjectNode deviceKeys(String deviceId, String curveKey) {
        ObjectNode json = JSON.objectNode().put("user_id", ALICE).put("device_id", deviceId);
        json.putObject("keys").put("curve25519:" + deviceId, curveKey).put("ed25519:" + deviceId, "ed-" + deviceId);
        return json;
    }

    @Test
    void aQueryLeavesTheNode_onlyOnceTheSagaStateThatExpectsItsAnswerIsCommitted() {
        FakeLane lane = new FakeLane();
        DeadlineManager deadlines = org.mockito.Mockito.mock(DeadlineManager.class);
        org.mockito.Mockito.when(deadlines.schedule(org.mockito.ArgumentMatchers.any(Duration.class),
                org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any())).thenReturn("deadline");
        SenderKeysWanted wanted = new SenderKeysWanted("!r:x", "s1", "@late:x", "curve-late", false);

        UnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(null);
        new KeysQuerySaga().on(wanted, lane, deadlines, Clock.systemUTC());
        rolledBack.rollback();
        assertThat(lane.requests).as("a rolled-back unit (e.g. a lost segment claim) asks nothing").isEmpty();

        UnitOfWork<?> committed = DefaultUnitOfWork.startAndGet(null);
        new KeysQuerySaga().on(wanted, lane, deadlines, Clock.systemUTC());
        assertThat(lane.requests).as("nothing before the commit").isEmpty();
        committed.commit();
        assertThat(lane.requests).containsExactly("@late:x#1");
    }

    /** The outgoing side, recorded: "user#attempt" per request. Backoff without jitter: 2 s, 4 s, 8 s, ... */
    static final class FakeLane implements KeyQueries {
        final List<String> requests = new ArrayList<>();
        boolean enabled = true;
        int maxAttempts = MAX_ATTEMPTS;

        @Override
        public boolean enabled() {
            return enabled;
        }

        @Override
        public void request(String userId, int attempt) {
            requests.add(userId + "#" + attempt);
        }

        @Override
        public Duration responseTimeout() {
            return RESPONSE_TIMEOUT;
        }

        @Override
        public Backoff backoff() {
            return new Backoff(new LaneProperties.Retry(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(15), maxAttempts,
                    0.0), () -> 0.0);
        }
    }

    /** The fixture's own (stub) time, so that {@code queriedAt} moves with {@code whenTimeElapses}. */
    static final class FixtureClock extends Clock {
        private final Supplier<Instant> now;

        FixtureClock(Supplier<Instant> now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
