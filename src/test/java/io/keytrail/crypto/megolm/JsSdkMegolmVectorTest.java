package io.keytrail.crypto.megolm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Megolm parts of {@code jssdk-crypto-test-data.json}, for Alice ("") and Bob ("BOB_"). */
class JsSdkMegolmVectorTest {
    private static final JsonNode DATA = MegolmVectors.jsSdk();

    private static InboundGroupSession session(String entry) {
        return InboundGroupSession.fromExport(ExportedSessionKey.parse(DATA.get(entry).get("session_key").asText()));
    }

    @ParameterizedTest(name = "prefix \"{0}\"")
    @ValueSource(strings = {"", "BOB_"})
    void megolmSessionData_decryptsTheEncryptedEvent_toTheClearEvent(String who) throws Exception {
        JsonNode event = DATA.get(who + "ENCRYPTED_EVENT");
        JsonNode clear = DATA.get(who + "CLEAR_EVENT");
        InboundGroupSession session = session(who + "MEGOLM_SESSION_DATA");
        assertThat(session.sessionId()).isEqualTo(event.get("content").get("session_id").asText())
                .isEqualTo(DATA.get(who + "MEGOLM_SESSION_DATA").get("session_id").asText());

        DecryptedMessage decrypted = session.decrypt(event.get("content").get("ciphertext").asText());

        assertThat(decrypted.messageIndex()).isZero();
        JsonNode payload = new ObjectMapper().readTree(decrypted.utf8());
        assertThat(payload.get("type")).isEqualTo(clear.get("type"));
        assertThat(payload.get("content")).isEqualTo(clear.get("content"));
        assertThat(payload.get("room_id")).isEqualTo(clear.get("room_id"));
    }

    @ParameterizedTest(name = "prefix \"{0}\"")
    @ValueSource(strings = {"", "BOB_"})
    void everySessionInTheDataArray_parsesAndMatchesItsSessionId(String who) {
        for (JsonNode entry : DATA.get(who + "MEGOLM_SESSION_DATA_ARRAY")) {
            InboundGroupSession s = InboundGroupSession.fromExport(ExportedSessionKey.parse(entry.get("session_key").asText()));
            assertThat(s.sessionId()).isEqualTo(entry.get("session_id").asText());
            assertThat(s.exportAtFirstKnownIndex().toBase64()).isEqualTo(entry.get("session_key").asText());
        }
    }

    /**
     * Documented quirk: the js-sdk generator hashed the two bytes 'x',0x03 instead of 0x03 when it
     * made the "ratcheted" copy, so R(1,3) is wrong. A correct connectedness check must notice.
     */
    @ParameterizedTest(name = "prefix \"{0}\"")
    @ValueSource(strings = {"", "BOB_"})
    void ratchtedSessionDataQuirk_isNotAGenuineRatchetStep_soItIsUnconnected(String who) {
        InboundGroupSession original = session(who + "MEGOLM_SESSION_DATA");
        InboundGroupSession ratcheted = session(who + "RATCHTED_MEGOLM_SESSION_DATA");
        assertThat(ratcheted.sessionId()).isEqualTo(original.sessionId());
        assertThat(ratcheted.firstKnownIndex()).isEqualTo(1);

        assertThat(ratcheted.compare(original)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(original.compare(ratcheted)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(original.merge(ratcheted)).isEmpty();

        byte[] genuine = original.exportAt(1).ratchet().toBytes();
        byte[] quirky = ratcheted.exportAtFirstKnownIndex().ratchet().toBytes();
        assertThat(Arrays.copyOf(quirky, 96)).as("R(1,0..2) match a real step").isEqualTo(Arrays.copyOf(genuine, 96));
        assertThat(Arrays.copyOfRange(quirky, 96, 128)).as("R(1,3) does not")
                .isNotEqualTo(Arrays.copyOfRange(genuine, 96, 128));
    }
}
