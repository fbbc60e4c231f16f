package io.keytrail.redecision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.TestStores;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Design section 1: a user is verified when we verified their MSK, or when our own verified
 * user-signing key signed it. Real keys from matrix-rust-sdk's key-distribution test data: @me's USK
 * signed @dan's MSK, so once @me trusts its own identity, dan's cross-signed device is SenderVerified
 * ({@code expected_sender_data_if_me_trusts_own_identity} in the vector file). Each test starts from an
 * empty store (the users are fixed by the vector) and the class leaves one behind.
 */
@EngineSpringTest
class CrossSigningVerificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode vector;

    @Autowired
    Keytrail keytrail;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void emptyStore() {
        TestStores.empty(context);
    }

    @AfterAll
    static void leaveNoVectorUsersBehind(@Autowired ApplicationContext context) {
        TestStores.empty(context);
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = CrossSigningVerificationTest.class
                .getResourceAsStream("/vectors/keys-query-rust-sdk-keydistribution.json")) {
            vector = JSON.readTree(in);
        }
    }

    private static final io.keytrail.matrix.OwnDevice ME = TestAccount.create("@me:localhost", "me-vector", "ABCDEFGH")
            .ownDevice("ABCDEFGH");

    private void ownDevice() {
        keytrail.process(JSON.createObjectNode().put("type", "own_device").put("user_id", ME.userId())
                .put("device_id", ME.deviceId()).put("curve25519", ME.curve25519().toBase64())
                .put("ed25519", ME.ed25519().toBase64()));
    }

    private JsonNode keysQuery(String name) {
        ObjectNode line = JSON.createObjectNode().put("type", "keys_query_response");
        line.set("body", vector.get(name));
        return keytrail.process(line);
    }

    private JsonNode verifyOwnIdentity() {
        String msk = vector.at("/me_keys_query_response/master_keys/@me:localhost/keys").elements().next().asText();
        return keytrail.process(JSON.createObjectNode().put("type", "verify_master_key").put("user_id", "@me:localhost")
                .put("master_key", msk));
    }

    /** A room key from one of the vector's devices (only public keys are needed). */
    private JsonNode roomKey(String responseName, String userId, String deviceId) {
        JsonNode device = vector.get(responseName).path("device_keys").path(userId).path(deviceId);
        String curve = device.path("keys").path("curve25519:" + deviceId).asText();
        String ed = device.path("keys").path("ed25519:" + deviceId).asText();
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        ObjectNode plaintext = JSON.createObjectNode().put("type", "m.room_key").put("sender", userId)
                .put("recipient", ME.userId());
        plaintext.putObject("recipient_keys").put("ed25519", ME.ed25519().toBase64());
        plaintext.putObject("keys").put("ed25519", ed);
        plaintext.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2")
                .put("room_id", "!" + UUID.randomUUID() + ":localhost").put("session_id", megolm.sessionId())
                .put("session_key", megolm.sessionKey().toBase64());
        ObjectNode line = JSON.createObjectNode().put("type", "room_key").put("sender", userId).put("sender_key", curve);
        line.set("plaintext", plaintext);
        return keytrail.process(line);
    }

    @Test
    void danSignedByOurVerifiedUserSigningKey_isSenderVerified_asRustSdkExpects() {
        ownDevice();
        keysQuery("me_keys_query_response");
        verifyOwnIdentity();
        keysQuery("dan_keys_query_response");
        keysQuery("good_keys_query_response");
        keysQuery("dave_keys_query_response");

        assertThat(roomKey("dan_keys_query_response", "@dan:localhost", "JHPUERYQUW").path("sender_data").toString())
                .isEqualTo("{\"SenderVerified\":{\"user_id\":\"@dan:localhost\",\"device_id\":\"JHPUERYQUW\","
                        + "\"master_key\":\"ZzirLovLjBbJ9KkCl/w1+WevTSQdn0ngS4xl36bAuZo\"}}");
        assertThat(roomKey("dan_keys_query_response", "@dan:localhost", "FRGNMZVOKA").path("sender_data")
                .has("DeviceInfo")).isTrue();
        JsonNode good = roomKey("good_keys_query_response", "@good:localhost", "JAXGBVZYLA").path("sender_data");
        assertThat(good.path("SenderUnverified").path("master_key").asText())
                .isEqualTo("5vTK2S2wVXo4xGT4BhcwpINVjRLjorkkJgCjnrHgtl8");
        assertThat(roomKey("dave_keys_query_response", "@dave:localhost", "HVCXJTHMBM").path("sender_data")
                .has("DeviceInfo")).isTrue();
    }

    @Test
    void withoutTrustInOurOwnIdentity_ourSignatureVouchesForNobody() {
        ownDevice();
        keysQuery("me_keys_query_response");
        keysQuery("dan_keys_query_response");

        assertThat(roomKey("dan_keys_query_response", "@dan:localhost", "JHPUERYQUW").path("sender_data")
                .has("SenderUnverified")).isTrue();
    }

    @Test
    void verifyingOurOwnIdentityLater_upgradesSessionsOfUsersOurKeySigned() {
        ownDevice();
        keysQuery("dan_keys_query_response");
        JsonNode received = roomKey("dan_keys_query_response", "@dan:localhost", "JHPUERYQUW");
        assertThat(received.path("sender_data").has("SenderUnverified")).isTrue();
        keysQuery("me_keys_query_response");

        JsonNode result = verifyOwnIdentity();

        assertThat(result.path("updated")).singleElement().satisfies(u -> {
            assertThat(u.path("session_id").asText()).isEqualTo(received.path("session_id").asText());
            assertThat(u.path("sender_data").has("SenderVerified")).isTrue();
        });
    }
}
