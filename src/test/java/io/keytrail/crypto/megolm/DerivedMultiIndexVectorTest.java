package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.keytrail.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code derived-megolm-session-multi-index.json}: one session, messages across every reseed boundary. */
class DerivedMultiIndexVectorTest {
    private static final JsonNode V = MegolmVectors.derivedMultiIndex();
    private static final MegolmRatchet INITIAL = MegolmRatchet.of(0, MegolmVectors.hex(V.get("ratchet_initial_hex")));
    private static final Ed25519KeyPair SIGNING = Ed25519KeyPair.fromSeed(MegolmVectors.hex(V.get("signing_key_seed_hex")));

    /** (message index, vector entry) pairs, so that test names show the index. */
    static Stream<Arguments> messages() {
        return StreamSupport.stream(V.get("messages").spliterator(), false)
                .map(m -> Arguments.of(m.get("message_index").asLong(), m));
    }

    private static InboundGroupSession fromSessionKey() {
        return InboundGroupSession.fromSessionKey(SessionKey.parse(V.get("session_key_v2_index0").asText()));
    }

    @Test
    void vectorFileListsMessagesAcrossEveryReseedBoundary() {
        assertThat(messages().map(a -> (Long) a.get()[0]))
                .containsExactly(0L, 1L, 2L, 255L, 256L, 257L, 65535L, 65536L, 16777216L);
    }

    @Test
    void signingSeedAndRatchet_reproduceTheSessionIdAndSignedSessionKeyExactly() {
        OutboundGroupSession outbound = OutboundGroupSession.fromSecrets(INITIAL, SIGNING);
        assertThat(outbound.sessionId()).isEqualTo(V.get("session_id").asText());
        assertThat(outbound.sessionKey().toBase64()).isEqualTo(V.get("session_key_v2_index0").asText());
    }

    @Test
    void sessionKey_givesTheListedExportsAtZeroAnd256() {
        InboundGroupSession session = fromSessionKey();
        assertThat(session.sessionId()).isEqualTo(V.get("session_id").asText());
        assertThat(session.exportAtFirstKnownIndex().toBase64()).isEqualTo(V.get("exported_session_key_v1_index0").asText());
        assertThat(session.exportAt(0).toBase64()).isEqualTo(V.get("exported_session_key_v1_index0").asText());
        assertThat(session.exportAt(256).toBase64()).isEqualTo(V.get("exported_session_key_v1_index256").asText());
    }

    @ParameterizedTest(name = "index {0}")
    @MethodSource("messages")
    void everyListedMessage_decryptsWithTheSessionKey(long index, JsonNode m) {
        DecryptedMessage decrypted = fromSessionKey().decrypt(m.get("ciphertext_b64").asText());
        assertThat(decrypted.messageIndex()).isEqualTo(index);
        assertThat(decrypted.utf8()).isEqualTo(m.get("plaintext_utf8").asText());
    }

    @ParameterizedTest(name = "index {0}")
    @MethodSource("messages")
    void everyListedMessage_hasTheListedRatchetAndHkdfKeys(long index, JsonNode m) {
        MegolmRatchet atIndex = INITIAL.advanceTo(index);
        assertThat(MegolmVectors.toHex(atIndex.toBytes())).isEqualTo(m.get("ratchet_hex_at_index").asText());
        MegolmCipher.MessageKeys keys = MegolmCipher.deriveKeys(atIndex);
        JsonNode expected = m.get("hkdf_megolm_keys");
        assertThat(MegolmVectors.toHex(keys.aesKey())).isEqualTo(expected.get("aes_key_hex").asText());
        assertThat(MegolmVectors.toHex(keys.hmacKey())).isEqualTo(expected.get("hmac_key_hex").asText());
        assertThat(MegolmVectors.toHex(keys.iv())).isEqualTo(expected.get("aes_iv_hex").asText());
    }

    @ParameterizedTest(name = "index {0}")
    @MethodSource("messages")
    void everyListedMessage_isReproducedByteForByteByOurSender(long index, JsonNode m) {
        OutboundGroupSession outbound =
                OutboundGroupSession.fromSecrets(INITIAL.advanceTo(index), SIGNING);
        assertThat(outbound.encrypt(m.get("plaintext_utf8").asText())).isEqualTo(m.get("ciphertext_b64").asText());
    }

    @ParameterizedTest(name = "index {0}")
    @MethodSource("messages")
    void exportAt256_decryptsOnlyMessagesFrom256On(long index, JsonNode m) {
        InboundGroupSession from256 = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(V.get("exported_session_key_v1_index256").asText()));
        assertThat(from256.firstKnownIndex()).isEqualTo(256);
        String ciphertext = m.get("ciphertext_b64").asText();
        if (m.get("decryptable_with_export_at_256").asBoolean()) {
            assertThat(from256.decrypt(ciphertext).utf8()).isEqualTo(m.get("plaintext_utf8").asText());
        } else {
            assertRefused(() -> from256.decrypt(ciphertext), MegolmException.Reason.UNKNOWN_MESSAGE_INDEX)
                    .hasMessageContaining("only known from index 256");
        }
    }

    @Test
    void exportAt256_isWorseThanTheSessionKeyCopy_andMergeKeepsIndexZeroAndVerified() {
        InboundGroupSession full = fromSessionKey();
        InboundGroupSession from256 = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(V.get("exported_session_key_v1_index256").asText()));
        assertThat(from256.compare(full)).isEqualTo(RatchetComparison.WORSE);
        assertThat(full.compare(from256)).isEqualTo(RatchetComparison.BETTER);
        InboundGroupSession merged = from256.merge(full).orElseThrow();
        assertThat(merged.firstKnownIndex()).isZero();
        assertThat(merged.signingKeyVerified()).isTrue();
    }

    @Test
    void lookAlikeExportWithSameSessionId_isUnconnected_andCannotBeMerged() {
        InboundGroupSession full = fromSessionKey();
        InboundGroupSession lookAlike = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(V.get("unconnected_lookalike_export_index256").asText()));
        assertThat(lookAlike.sessionId()).isEqualTo(full.sessionId());
        assertThat(lookAlike.compare(full)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(full.compare(lookAlike)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(full.merge(lookAlike)).isEmpty();
        assertThat(lookAlike.merge(full)).isEmpty();
    }
}
