package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

class ExportedRoomKeyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode EXPORT_VECTORS = load("/vectors/key-export-vectors.json");
    private static final JsonNode JSSDK = load("/vectors/jssdk-crypto-test-data.json").get("data");

    static JsonNode load(String resource) {
        try (InputStream in = ExportedRoomKeyTest.class.getResourceAsStream(resource)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode rustSession() {
        return (ObjectNode) EXPORT_VECTORS.at("/rust_sdk_test_export/expected_sessions/0").deepCopy();
    }

    @Test
    void rustSdkExportPayload_parsesEveryField() throws JsonProcessingException {
        JsonNode payload = MAPPER.readTree(EXPORT_VECTORS.at("/rust_sdk_test_export/expected_plaintext_utf8").asText());
        List<ExportedRoomKey.ArrayEntry> entries = ExportedRoomKey.parseArray(payload);

        assertThat(entries).hasSize(1).first().isInstanceOf(ExportedRoomKey.Parsed.class);
        ExportedRoomKey key = ((ExportedRoomKey.Parsed) entries.get(0)).key();
        assertThat(key.algorithm()).isEqualTo("m.megolm.v1.aes-sha2");
        assertThat(key.roomId()).isEqualTo("!test:localhost");
        assertThat(key.sessionId()).isEqualTo("8sdNGgmLft8osylLK9ij3IotBLyQQufe/KngiW4Dpq0");
        assertThat(key.senderKey()).isEqualTo(Curve25519PublicKey.parse("cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w"));
        assertThat(key.senderClaimedEd25519())
                .contains(Ed25519PublicKey.parse("wJ7DzYIlwFghczuxFG7F4ugAK3IFjpSaC74MzLFC6ig"));
        assertThat(key.forwardingCurve25519KeyChain()).isEmpty();
        assertThat(key.sessionKey()).startsWith("AQAAAABBKNS1").endsWith("IluA6at");
        assertThat(key.sharedHistory()).isFalse();
        assertThat(key.raw()).isEqualTo(payload.get(0));
    }

    @Test
    void jsSdkSessionWithMSharedHistory_isSharedHistory() {
        ExportedRoomKey key = ExportedRoomKey.parse(JSSDK.get("MEGOLM_SESSION_DATA"));
        assertThat(key.sharedHistory()).isTrue();
        assertThat(key.roomId()).isEqualTo("!room:id");
    }

    @Test
    void everySharedHistorySpelling_isRead_andTheSpecNameWins() {
        for (String field : List.of("shared_history", "m.shared_history", "org.matrix.msc3061.shared_history")) {
            assertThat(ExportedRoomKey.parse(rustSession().put(field, true)).sharedHistory()).as(field).isTrue();
        }
        ObjectNode both = rustSession().put("shared_history", false).put("m.shared_history", true);
        assertThat(ExportedRoomKey.parse(both).sharedHistory()).isFalse();
    }

    @Test
    void emptyOrMissingSenderClaimedKeys_meansNoClaimedEd25519() {
        ObjectNode empty = rustSession();
        empty.putObject("sender_claimed_keys");
        assertThat(ExportedRoomKey.parse(empty).senderClaimedEd25519()).isEmpty();
        ObjectNode missing = rustSession();
        missing.remove("sender_claimed_keys");
        assertThat(ExportedRoomKey.parse(missing).senderClaimedEd25519()).isEmpty();
    }

    @Test
    void missingSessionKey_isRejectedNamingTheField() {
        ObjectNode json = rustSession();
        json.remove("session_key");
        assertThatThrownBy(() -> ExportedRoomKey.parse(json)).isInstanceOf(MatrixFormatException.class)
                .hasMessageStartingWith("session_key:");
    }

    @Test
    void invalidSenderKey_isRejectedNamingTheField() {
        assertThatThrownBy(() -> ExportedRoomKey.parse(rustSession().put("sender_key", "c2hvcnQ")))
                .isInstanceOf(MatrixFormatException.class).hasMessageStartingWith("sender_key:");
    }

    @Test
    void invalidClaimedEd25519_isRejectedNamingTheField() {
        ObjectNode json = rustSession();
        ((ObjectNode) json.get("sender_claimed_keys")).put("ed25519", 42);
        assertThatThrownBy(() -> ExportedRoomKey.parse(json)).hasMessageStartingWith("sender_claimed_keys.ed25519:");
    }

    @Test
    void otherAlgorithm_isRejectedNamingTheField() {
        assertThatThrownBy(() -> ExportedRoomKey.parse(rustSession().put("algorithm", "m.megolm.v2.aes-sha2")))
                .isInstanceOf(MatrixFormatException.class).hasMessageStartingWith("algorithm:");
    }

    @Test
    void badKeyInForwardingChain_isRejectedNamingItsIndex() {
        ObjectNode json = rustSession();
        ((ArrayNode) json.get("forwarding_curve25519_key_chain"))
                .add("cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w").add("not base64!");
        assertThatThrownBy(() -> ExportedRoomKey.parse(json)).hasMessageStartingWith("forwarding_curve25519_key_chain[1]:");
    }

    @Test
    void nonBooleanSharedHistory_isRejectedNamingTheField() {
        assertThatThrownBy(() -> ExportedRoomKey.parse(rustSession().put("m.shared_history", "yes")))
                .hasMessageStartingWith("m.shared_history:");
    }

    @Test
    void oneBadElement_doesNotFailTheOthers() {
        ArrayNode array = MAPPER.createArrayNode();
        array.add(rustSession());
        array.add(rustSession().put("session_id", "bad-one").put("sender_key", ""));
        array.add(JSSDK.get("MEGOLM_SESSION_DATA"));
        array.add("not an object");

        List<ExportedRoomKey.ArrayEntry> entries = ExportedRoomKey.parseArray(array);

        assertThat(entries).extracting(ExportedRoomKey.ArrayEntry::index).containsExactly(0, 1, 2, 3);
        assertThat(entries.get(0)).isInstanceOf(ExportedRoomKey.Parsed.class);
        assertThat(entries.get(1)).isInstanceOfSatisfying(ExportedRoomKey.Rejected.class, r -> {
            assertThat(r.sessionId()).contains("bad-one");
            assertThat(r.reason()).startsWith("sender_key:");
        });
        assertThat(entries.get(2)).isInstanceOf(ExportedRoomKey.Parsed.class);
        assertThat(entries.get(3)).isInstanceOfSatisfying(ExportedRoomKey.Rejected.class,
                r -> assertThat(r.sessionId()).isEmpty());
    }

    @Test
    void payloadThatIsNotAnArray_isRejectedAsAWhole() {
        assertThatThrownBy(() -> ExportedRoomKey.parseArray(rustSession())).isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("JSON array");
    }

    @Test
    void toJson_writesTheSpecFieldsAndParsesBackToTheSameKey() {
        ObjectNode json = rustSession().put("untrusted", true).put("m.shared_history", true);
        ExportedRoomKey key = ExportedRoomKey.parse(json);

        ObjectNode written = key.toJson();
        assertThat(written.get("shared_history").booleanValue()).isTrue();
        assertThat(written.has("untrusted")).isFalse();
        assertThat(written.get("sender_claimed_keys")).isEqualTo(json.get("sender_claimed_keys"));
        ExportedRoomKey reread = ExportedRoomKey.parse(written);
        assertThat(reread.toJson()).isEqualTo(written);
        assertThat(reread).usingRecursiveComparison().ignoringFields("raw").isEqualTo(key);
        assertThat(key.raw().get("untrusted").booleanValue()).isTrue();
    }

    @Test
    void raw_isACopyThatCallersCannotChange() {
        ObjectNode json = rustSession();
        ExportedRoomKey key = ExportedRoomKey.parse(json);
        json.put("room_id", "!changed:x");
        key.raw().put("room_id", "!changed:x");
        assertThat(key.raw().get("room_id").asText()).isEqualTo("!test:localhost");
    }

    @Test
    void backedUpSession_takesRoomAndSessionIdsFromTheBackupMap() {
        ObjectNode json = rustSession();
        json.remove("room_id");
        json.remove("session_id");
        ExportedRoomKey key = ExportedRoomKey.parseBackedUp(json, "!r:x", "sess");
        assertThat(key.roomId()).isEqualTo("!r:x");
        assertThat(key.sessionId()).isEqualTo("sess");
        assertThat(ExportedRoomKey.parseBackedUp(rustSession(), "!test:localhost",
                "8sdNGgmLft8osylLK9ij3IotBLyQQufe/KngiW4Dpq0").sessionKey()).isEqualTo(json.get("session_key").asText());
    }

    @Test
    void backedUpSessionNamingAnotherSession_isRejected() {
        assertThatThrownBy(() -> ExportedRoomKey.parseBackedUp(rustSession(), "!test:localhost", "other"))
                .isInstanceOf(MatrixFormatException.class).hasMessageStartingWith("session_id:");
    }
}
