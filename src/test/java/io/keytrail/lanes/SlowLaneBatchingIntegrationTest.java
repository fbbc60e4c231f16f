package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * Users whose queries are due together share one request: at most {@code keytrail.batch.max-users}
 * (here 2) per request, and a full batch goes out without waiting for the (here long) window. The one
 * slow-lane class with an engine of its own (its batch settings would hold every other test's query for
 * the window); it shares the stub, and closes its engine after the class so that its lane stops.
 */
@DirtiesContext // a context of its own anyway: closing it stops its lane, it costs no second start
class SlowLaneBatchingIntegrationTest extends SlowLaneSpringTest {
    private static final TestAccount GINA = RoomKeys.uniqueAccount("gina", "PHONE");
    private static final TestAccount HANK = RoomKeys.uniqueAccount("hank", "PHONE");

    @DynamicPropertySource
    static void batches(DynamicPropertyRegistry registry) {
        registry.add("keytrail.batch.max-users", () -> "2");
        // Far longer than PATIENCE: a lane that waited for the window with a full batch would leave both
        // sessions unresolved when the awaits below give up, so the test would fail.
        registry.add("keytrail.batch.window", () -> "10m");
    }

    @Autowired
    Keytrail keytrail;

    @Test
    void twoUsersDueTogetherAreAskedForInOneRequest_andBothAreResolvedByIt() {
        ObjectNode both = KeysQueryBody.of(GINA, HANK);
        ROUTES.put(GINA.userId(), request -> Reply.json(both));
        ROUTES.put(HANK.userId(), request -> Reply.json(both));
        RoomKeys.Prepared fromGina = RoomKeys.fromUnknownDevice(GINA, "PHONE");
        RoomKeys.Prepared fromHank = RoomKeys.fromUnknownDevice(HANK, "PHONE");

        fromGina.receiveOn(keytrail);
        fromHank.receiveOn(keytrail);

        for (RoomKeys.Prepared key : List.of(fromGina, fromHank)) {
            LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM,
                    key.sessionId()).orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
        }
        assertThat(STUB.requestsFor(GINA.userId())).singleElement()
                .satisfies(request -> assertThat(request.users()).containsExactlyInAnyOrder(GINA.userId(), HANK.userId()));
        assertThat(STUB.requestsFor(HANK.userId())).hasSize(1);
    }
}
