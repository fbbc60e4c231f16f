package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.TrustPolicy;

/**
 * Operations over HTTP on the shared engine (ADR 0015): health open with the status only, details for
 * the admin token; every other Actuator endpoint admin-only; Keytrail's counters move for real inputs and
 * Prometheus shows them.
 */
@EngineSpringTest
class OperationsTest {
    @LocalServerPort
    int port;

    @Autowired
    Keytrail keytrail;

    @Autowired
    MeterRegistry registry;

    @Autowired
    KeytrailMetrics metrics;

    private RawHttp http() {
        return new RawHttp(port);
    }

    @Test
    void health_answersWithoutAToken_withTheStatusOnly() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            RawHttp.Answer anonymous = http().send("GET", path, null, null);
            RawHttp.Answer user = http().send("GET", path, ApiTestTokens.USER, null);

            assertThat(anonymous.status()).as(path + ": " + anonymous.body()).isEqualTo(200);
            assertThat(anonymous.json().path("status").asText()).isEqualTo("UP");
            assertThat(anonymous.json().has("components")).as(anonymous.body()).isFalse();
            assertThat(user.json().has("components")).as(user.body()).isFalse();
        }
    }

    @Test
    void health_withTheAdminToken_showsTheStoreAndTheEventProcessorsWithTheirLag() throws Exception {
        RawHttp.Answer admin = http().send("GET", "/actuator/health", ApiTestTokens.ADMIN, null);

        JsonNode components = admin.json().path("components");
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
        JsonNode processors = components.path("eventProcessors");
        assertThat(processors.path("status").asText()).as(processors.toString()).isEqualTo("UP");
        assertThat(processors.path("details").path("directory").path("mode").asText()).isEqualTo("subscribing");
        assertThat(processors.path("details").path("headGlobalIndex").isNumber()).isTrue();
        assertThat(processors.path("details").path("KeysQuerySagaProcessor").path("mode").asText()).isEqualTo("streaming");
        assertThat(processors.path("details").path("KeysQuerySagaProcessor").path("segmentsClaimed").isInt()).isTrue();
        assertThat(components.has("homeserver")).as("no homeserver configured in this engine").isFalse();
    }

    @Test
    void aHealthComponentPath_isNotOpen_likeEveryOtherActuatorPath() throws Exception {
        assertThat(http().send("GET", "/actuator/health/db", null, null).status()).isEqualTo(401);
        assertThat(http().send("GET", "/actuator/healthz", null, null).status()).isEqualTo(401);
    }

    @Test
    void prometheusAndMetrics_needTheAdminToken() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator", "/actuator/env"}) {
            RawHttp.Answer anonymous = http().send("GET", path, null, null);
            RawHttp.Answer user = http().send("GET", path, ApiTestTokens.USER, null);

            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.code()).isEqualTo(RefusalCode.UNAUTHORIZED.name());
            assertThat(user.status()).as(path).isEqualTo(403);
            assertThat(user.code()).isEqualTo(RefusalCode.FORBIDDEN.name());
        }
        assertThat(http().send("GET", "/actuator/prometheus", ApiTestTokens.ADMIN, null).status()).isEqualTo(200);
        assertThat(http().send("GET", "/actuator/env", ApiTestTokens.ADMIN, null).status())
                .as("not exposed").isEqualTo(404);
    }

    @Test
    void aRoomKeyThenItsKeysThenDecrypts_moveTheLaneAndDecryptionCounters_andPrometheusShowsThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestAccount alice = TestAccount.create("@alice-" + run + ":ops.test", "alice-" + run, "PHONE");
        OwnDevice me = TestAccount.create("@me-" + run + ":ops.test", "me-" + run, "ME").ownDevice("ME");
        String room = "!ops-" + run + ":ops.test";
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        ObjectNode plaintext = alice.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(),
                megolm.sessionKey().toBase64(), Optional.empty());
        double fastUnknown = count("keytrail.room.keys", "lane", "fast", "outcome", "UnknownDevice");
        double inputUnverified = count("keytrail.room.keys", "lane", "input", "outcome", "SenderUnverified");
        double shown = count("keytrail.decryptions", "policy", "CROSS_SIGNED", "outcome", "shown");
        double withheld = count("keytrail.decryptions", "policy", "VERIFIED_ONLY", "outcome", "withheld");

        keytrail.receiveRoomKey(alice.userId(), alice.device("PHONE").curve25519().toBase64(), plaintext, Optional.of(me));
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "m.room.encrypted")
                .put("sender", alice.userId()).put("room_id", room);
        event.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", megolm.sessionId())
                .put("ciphertext", megolm.encrypt("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\"}}"));
        keytrail.decrypt(room, TrustPolicy.CROSS_SIGNED, event);
        try {
            keytrail.decrypt(room, TrustPolicy.VERIFIED_ONLY, event);
        } catch (RefusalException expected) {
            assertThat(expected.code()).isEqualTo(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
        }

        assertThat(count("keytrail.room.keys", "lane", "fast", "outcome", "UnknownDevice")).isEqualTo(fastUnknown + 1);
        assertThat(count("keytrail.room.keys", "lane", "input", "outcome", "SenderUnverified"))
                .isEqualTo(inputUnverified + 1);
        assertThat(count("keytrail.decryptions", "policy", "CROSS_SIGNED", "outcome", "shown")).isEqualTo(shown + 1);
        assertThat(count("keytrail.decryptions", "policy", "VERIFIED_ONLY", "outcome", "withheld")).isEqualTo(withheld + 1);

        String prometheus = http().send("GET", "/actuator/prometheus", ApiTestTokens.ADMIN, null).body();
        assertThat(prometheus).contains("keytrail_room_keys_total{lane=\"fast\",outcome=\"UnknownDevice\"}",
                "keytrail_room_keys_total{lane=\"input\",outcome=\"SenderUnverified\"}",
                "keytrail_decryptions_total{outcome=\"shown\",policy=\"CROSS_SIGNED\"}",
                "keytrail_decryptions_total{outcome=\"withheld\",policy=\"VERIFIED_ONLY\"}",
                "keytrail_sender_data_changes_total{sender_data=\"SenderUnverified\",trigger=\"device_keys_fetched\"}",
                "keytrail_sessions{sender_data=\"SenderUnverified\"}", "keytrail_sessions_pending",
                "keytrail_event_processor_lag{processor=\"KeysQuerySagaProcessor\"}",
                // Axon's own (axon-micrometer, dimensional)
                "commandBus_successCounter_total{payloadType=\"ReceiveSession\"}");
    }

    @Test
    void sessionGauges_countTheDirectoryByState_discardedApart_pendingAreUnknownDevicesReceivedOverOlm() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestAccount bob = TestAccount.create("@bob-" + run + ":ops.test", "bob-" + run, "LAPTOP");
        OwnDevice me = TestAccount.create("@me2-" + run + ":ops.test", "me2-" + run, "ME").ownDevice("ME");
        KeytrailMetrics.SessionCounts before = metrics.countSessions(Instant.now());
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        keytrail.receiveRoomKey(bob.userId(), bob.device("LAPTOP").curve25519().toBase64(),
                bob.roomKeyPlaintext("LAPTOP", me, "!ops2-" + run + ":ops.test", megolm.sessionId(),
                        megolm.sessionKey().toBase64(), Optional.empty()), Optional.of(me));

        KeytrailMetrics.SessionCounts after = metrics.countSessions(Instant.now());

        assertThat(after.byState().get("UnknownDevice")).isEqualTo(before.byState().getOrDefault("UnknownDevice", 0L) + 1);
        assertThat(after.pending()).isEqualTo(before.pending() + 1);
        assertThat(after.discarded()).isEqualTo(before.discarded());
    }

    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
