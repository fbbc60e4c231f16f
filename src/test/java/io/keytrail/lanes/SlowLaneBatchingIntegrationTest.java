package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
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
 * (here 2) per request, and a full batch goes out without waiting for the (here long) window.
 */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext // its lane keeps retrying in the background; the stub is gone after the class
class SlowLaneBatchingIntegrationTest {
    private static final StubHomeserver STUB = StubHomeserver.start();
    private static final TestAccount GINA = RoomKeys.uniqueAccount("gina", "PHONE");
    private static final TestAccount HANK = RoomKeys.uniqueAccount("hank", "PHONE");

    @DynamicPropertySource
    static void lane(DynamicPropertyRegistry registry) {
        registry.add("keytrail.homeserver.base-url", STUB::baseUrl);
        registry.add("keytrail.batch.max-users", () -> "2");
        registry.add("keytrail.batch.window", () -> "10s");
        registry.add("db-scheduler.polling-interval", () -> "100ms");
        registry.add("keytrail.session-key-encryption-key", () -> RoomKeys.SEALING_KEY);
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @Autowired
    Keytrail keytrail;

    @Test
    void twoUsersDueTogetherAreAskedForInOneRequest_andBothAreResolvedByIt() {
        ObjectNode both = KeysQueryBody.of(GINA, HANK);
        STUB.respondJson(request -> both);
        RoomKeys.Prepared fromGina = RoomKeys.fromUnknownDevice(GINA, "PHONE");
        RoomKeys.Prepared fromHank = RoomKeys.fromUnknownDevice(HANK, "PHONE");

        fromGina.receiveOn(keytrail);
        fromHank.receiveOn(keytrail);

        for (RoomKeys.Prepared key : List.of(fromGina, fromHank)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM,
                    key.sessionId()).orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
        }
        assertThat(STUB.requests()).hasSize(1);
        assertThat(STUB.requests().get(0).users()).containsExactlyInAnyOrder(GINA.userId(), HANK.userId());
    }
}
