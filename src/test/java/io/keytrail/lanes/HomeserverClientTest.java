package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/** The real client against a real HTTP server on loopback: every outcome is a value, never an exception. */
class HomeserverClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE");
    private static final String TOKEN = "syt_c2VjcmV0_token";

    private StubHomeserver stub;

    @BeforeEach
    void startStub() {
        stub = StubHomeserver.start();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void okAnswerIsReturnedWithItsBody_andTheRequestAsksForAllDevicesOfEachUser() throws Exception {
        stub.respondJson(request -> KeysQueryBody.of(ALICE));

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10))
                .queryKeys(List.of("@zed:example.org", ALICE.userId())).get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(KeysQueryOutcome.Answered.class);
        KeysQueryOutcome.Answered answered = (KeysQueryOutcome.Answered) outcome;
        assertThat(answered.body()).isEqualTo(KeysQueryBody.of(ALICE));
        assertThat(answered.failures()).isEmpty();
        StubHomeserver.Request request = stub.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(StubHomeserver.PATH);
        assertThat(request.body().path("device_keys").fieldNames()).toIterable()
                .containsExactly(ALICE.userId(), "@zed:example.org");
        assertThat(request.body().path("device_keys").path(ALICE.userId()).isEmpty()).isTrue();
        assertThat(request.body().path("timeout").asLong()).isPositive().isLessThan(10_000);
    }

    @Test
    void accessTokenIsSentAsBearer() throws Exception {
        client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId())).get(20, TimeUnit.SECONDS);

        assertThat(stub.requests().get(0).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void withoutATokenNoAuthorizationHeaderIsSent() throws Exception {
        client(null, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId())).get(20, TimeUnit.SECONDS);

        assertThat(stub.requests().get(0).authorization()).isNull();
    }

    @Test
    void serverErrorIsAnHttpErrorOutcome() throws Exception {
        stub.respond(request -> new Reply(500, "{\"errcode\":\"M_UNKNOWN\"}"));

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId()))
                .get(20, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new KeysQueryOutcome.HttpError(500, "{\"errcode\":\"M_UNKNOWN\"}"));
        assertThat(KeysQueryOutcome.describe(outcome)).isEqualTo("HTTP 500").doesNotContain(TOKEN);
    }

    @Test
    void bodyThatIsNotJsonIsMalformed() throws Exception {
        stub.respond(request -> new Reply(200, "<html>gateway</html>"));

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId()))
                .get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(KeysQueryOutcome.Malformed.class);
    }

    @Test
    void hugeExponentInsideADevice_isReadCheaply_forTheValidatorToRefuseThatDeviceAlone() throws Exception {
        String body = KeysQueryBody.of(ALICE).toString().replaceFirst("\\{", "{\"n\":1e100000000,");
        stub.respond(request -> new Reply(200, body));

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId()))
                .get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(KeysQueryOutcome.Answered.class);
    }

    @Test
    void numberOfAHundredThousandDigits_isMalformed_withAShortMessage() throws Exception {
        stub.respond(request -> new Reply(200, "{\"n\":" + "9".repeat(100_000) + "}"));

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId()))
                .get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(KeysQueryOutcome.Malformed.class, m -> assertThat(m.toString())
                .contains("longer than 32 characters").hasSizeLessThan(300).doesNotContain("99999"));
    }

    @Test
    void jsonThatIsNotAnObjectIsMalformed() throws Exception {
        stub.respond(request -> new Reply(200, "[1, 2]"));

        assertThat(client(TOKEN, Duration.ofSeconds(10)).queryKeys(List.of(ALICE.userId())).get(20, TimeUnit.SECONDS))
                .isEqualTo(new KeysQueryOutcome.Malformed("the body is not a JSON object"));
    }

    @Test
    void failuresNameTheServersWhoseUsersGotNoAnswer() throws Exception {
        stub.respondJson(request -> new KeysQueryBody().account(ALICE).failure("far.example").build());

        KeysQueryOutcome outcome = client(TOKEN, Duration.ofSeconds(10))
                .queryKeys(List.of(ALICE.userId(), "@bob:far.example")).get(20, TimeUnit.SECONDS);

        KeysQueryOutcome.Answered answered = (KeysQueryOutcome.Answered) outcome;
        assertThat(answered.failures()).containsOnlyKeys("far.example");
        assertThat(answered.unanswered("@bob:far.example")).isTrue();
        assertThat(answered.unanswered(ALICE.userId())).isFalse();
    }

    @Test
    void stalledServerTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        stub.respond(request -> {
            release.await(30, TimeUnit.SECONDS);
            return new Reply(200, "{}");
        });
        try {
            KeysQueryOutcome outcome = client(TOKEN, Duration.ofMillis(300)).queryKeys(List.of(ALICE.userId()))
                    .get(20, TimeUnit.SECONDS);

            assertThat(outcome).isInstanceOf(KeysQueryOutcome.TimedOut.class);
            assertThat(release.getCount()).isEqualTo(1); // the server was still stalled
        } finally {
            release.countDown();
        }
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HomeserverClient client = new HomeserverClient("http://127.0.0.1:" + closedPort, TOKEN, Duration.ofSeconds(5),
                Duration.ofSeconds(5), JSON);

        KeysQueryOutcome outcome = client.queryKeys(List.of(ALICE.userId())).get(20, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(KeysQueryOutcome.Unreachable.class);
        assertThat(KeysQueryOutcome.describe(outcome)).startsWith("unreachable: ").doesNotContain(TOKEN);
    }

    @Test
    void baseUrlWithATrailingSlashHitsTheSameEndpoint() throws IOException {
        HomeserverClient client = new HomeserverClient(stub.baseUrl() + "/", TOKEN, Duration.ofSeconds(5),
                Duration.ofSeconds(5), JSON);

        assertThat(client.endpoint().toString()).isEqualTo(stub.baseUrl() + StubHomeserver.PATH);
    }

    private HomeserverClient client(String token, Duration readTimeout) {
        return new HomeserverClient(stub.baseUrl(), token, Duration.ofSeconds(5), readTimeout, JSON);
    }
}
