package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.errors.RefusalException;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/** The lane's batching and its verdicts per user, against a loopback stub; the engine side is mocked. */
class KeysQueryLaneTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE");
    private static final String BOB = "@bob:example.org";
    private static final String CAROL = "@carol:example.org";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private StubHomeserver stub;
    private KeysQueryRecorder keys;
    private CommandGateway commands;

    @BeforeEach
    void setUp() {
        stub = StubHomeserver.start();
        keys = mock(KeysQueryRecorder.class);
        commands = mock(CommandGateway.class);
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(null));
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void withoutABaseUrlTheLaneIsOffAndNeverCallsOut() {
        KeysQueryLane lane = new KeysQueryLane(new LaneProperties(null, null, null), null, keys, commands,
                Clock.fixed(NOW, ZoneOffset.UTC));

        lane.request(BOB, 1);

        assertThat(lane.enabled()).isFalse();
        assertThat(stub.requests()).isEmpty();
        verifyNoInteractions(keys, commands);
        lane.destroy();
    }

    @Test
    void responseTimeoutCoversTheBatchWindowAndBothClientTimeouts() {
        KeysQueryLane lane = lane(100, Duration.ofMillis(50));

        assertThat(lane.responseTimeout()).isEqualTo(Duration.ofMillis(50).plusSeconds(2).plusSeconds(3));
        lane.destroy();
    }

    @Test
    void fullBatchGoesOutAtOnceAsOneRequestWithAllItsUsers() {
        KeysQueryLane lane = lane(2, Duration.ofMinutes(10));

        lane.request(BOB, 1);
        lane.request(CAROL, 1);

        await().atMost(PATIENCE).until(() -> stub.requests().size() == 1);
        assertThat(stub.requests().get(0).users()).containsExactlyInAnyOrder(BOB, CAROL);
        lane.destroy();
    }

    @Test
    void moreUsersThanTheMaximumAreSplitAcrossRequests() {
        KeysQueryLane lane = lane(2, Duration.ofMinutes(10));

        synchronized (lane) { // all three are due before the lane may take a batch
            lane.request(BOB, 1);
            lane.request(CAROL, 1);
            lane.request(ALICE.userId(), 1);
        }

        await().atMost(PATIENCE).until(() -> stub.requests().size() == 2);
        assertThat(stub.requests()).extracting(StubHomeserver.Request::users)
                .containsExactlyInAnyOrder(Set.of(BOB, CAROL), Set.of(ALICE.userId()));
        lane.destroy();
    }

    @Test
    void answerGoesToTheKeysRecorder_andAUserItDoesNotMentionGetsAFailure() {
        ObjectNode body = KeysQueryBody.of(ALICE);
        stub.respondJson(request -> body);
        KeysQueryLane lane = lane(2, Duration.ofMinutes(10));

        lane.request(ALICE.userId(), 1);
        lane.request(BOB, 3);

        await().atMost(PATIENCE).untilAsserted(() -> verify(commands).send(
                new RecordKeysQueryFailure(BOB, NOW, 3, "the response does not mention the user")));
        verify(keys).record(eq((JsonNode) body), eq(NOW));
        verify(commands, times(1)).send(any());
        lane.destroy();
    }

    @Test
    void usersOfAServerListedInFailuresGetAFailure() {
        ObjectNode body = new KeysQueryBody().account(ALICE).failure("far.example").build();
        stub.respondJson(request -> body);
        KeysQueryLane lane = lane(2, Duration.ofMinutes(10));

        lane.request(ALICE.userId(), 1);
        lane.request("@dan:far.example", 2);

        await().atMost(PATIENCE).untilAsserted(() -> verify(commands).send(new RecordKeysQueryFailure(
                "@dan:far.example", NOW, 2, "the user's homeserver could not be reached")));
        verify(commands, times(1)).send(any());
        lane.destroy();
    }

    @Test
    void serverErrorFailsEveryUserOfTheBatchWithTheirOwnAttempt() {
        stub.respond(request -> new Reply(502, "bad gateway"));
        KeysQueryLane lane = lane(2, Duration.ofMinutes(10));

        lane.request(BOB, 1);
        lane.request(CAROL, 4);

        await().atMost(PATIENCE).untilAsserted(() -> {
            verify(commands).send(new RecordKeysQueryFailure(BOB, NOW, 1, "HTTP 502"));
            verify(commands).send(new RecordKeysQueryFailure(CAROL, NOW, 4, "HTTP 502"));
        });
        verifyNoInteractions(keys);
        lane.destroy();
    }

    @Test
    void responseTheEngineCannotReadFailsTheBatch() {
        stub.respond(request -> new Reply(200, "{\"device_keys\": []}"));
        doThrow(RefusalException.invalidInput("device_keys is not an object")).when(keys).record(any(), any());
        KeysQueryLane lane = lane(1, Duration.ofMinutes(10));

        lane.request(BOB, 1);

        await().atMost(PATIENCE).untilAsserted(() -> verify(commands).send(new RecordKeysQueryFailure(BOB, NOW, 1,
                "the response could not be read: device_keys is not an object")));
        lane.destroy();
    }

    @Test
    void onceTheApplicationIsClosingNothingNewGoesOut() {
        KeysQueryLane lane = lane(1, Duration.ofMinutes(10));

        lane.closing();
        lane.request(BOB, 1);

        assertThat(stub.requests()).isEmpty();
        verifyNoInteractions(keys, commands);
        lane.destroy();
    }

    private KeysQueryLane lane(int maxUsers, Duration window) {
        LaneProperties properties = new LaneProperties(
                new LaneProperties.Homeserver(stub.baseUrl(), "syt_lane_token", Duration.ofSeconds(2),
                        Duration.ofSeconds(3)),
                null, new LaneProperties.Batch(window, maxUsers));
        LaneProperties.Homeserver hs = properties.homeserver();
        HomeserverClient client = new HomeserverClient(hs.baseUrl(), hs.accessToken(), hs.connectTimeout(),
                hs.readTimeout(), new ObjectMapper());
        return new KeysQueryLane(properties, client, keys, commands, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
