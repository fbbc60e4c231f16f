package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LibolmGroupMessageVectorTest {
    private static final JsonNode EXPORT_IMPORT = MegolmVectors.libolm().get("group_messages").get(0);
    private static final JsonNode INVALID_SIGNATURE = MegolmVectors.libolm().get("group_messages").get(1);

    private static InboundGroupSession fromSessionKey(JsonNode v) {
        return InboundGroupSession.fromSessionKey(SessionKey.parse(v.get("session_key").asText()));
    }

    @Test
    void sessionFromSignedKey_decryptsLibolmMessage_andIsVerified() {
        InboundGroupSession session = fromSessionKey(EXPORT_IMPORT);
        DecryptedMessage decrypted = session.decrypt(EXPORT_IMPORT.get("message").asText());
        assertThat(decrypted.messageIndex()).isEqualTo(EXPORT_IMPORT.get("message_index").asLong());
        assertThat(decrypted.utf8()).isEqualTo(EXPORT_IMPORT.get("plaintext").asText());
        assertThat(session.signingKeyVerified()).isTrue();
        assertThat(session.sessionId()).isEqualTo(EXPORT_IMPORT.get("session_id").asText());
    }

    @Test
    void exportAtIndexZero_matchesVector_andImportedCopyDecryptsButIsNotVerified() {
        InboundGroupSession session = fromSessionKey(EXPORT_IMPORT);
        assertThat(session.exportAt(0).toBase64()).isEqualTo(EXPORT_IMPORT.get("exported_at_index0").asText());
        InboundGroupSession imported = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(EXPORT_IMPORT.get("exported_at_index0").asText()));
        assertThat(imported.signingKeyVerified()).isFalse();
        assertThat(imported.decrypt(EXPORT_IMPORT.get("message").asText()).utf8())
                .isEqualTo(EXPORT_IMPORT.get("plaintext").asText());
        assertThat(imported.compare(session)).isEqualTo(RatchetComparison.EQUAL);
    }

    @Test
    void secondLibolmSession_decryptsItsUntamperedMessage() {
        InboundGroupSession session = fromSessionKey(INVALID_SIGNATURE);
        assertThat(session.decrypt(INVALID_SIGNATURE.get("message").asText()).utf8())
                .isEqualTo(INVALID_SIGNATURE.get("plaintext").asText());
    }

    @Test
    void libolmTamperedSignature_isRefusedAsBadSignature() {
        InboundGroupSession session = fromSessionKey(INVALID_SIGNATURE);
        assertThat(INVALID_SIGNATURE.get("tampered_expected_error").asText()).startsWith("BAD_SIGNATURE");
        assertRefused(() -> session.decrypt(INVALID_SIGNATURE.get("tampered_message").asText()),
                MegolmException.Reason.BAD_SIGNATURE).hasMessageContaining(session.sessionId());
    }

    @Test
    void messageOfOneLibolmSession_failsSignatureCheckUnderTheOther() {
        InboundGroupSession other = fromSessionKey(INVALID_SIGNATURE);
        assertRefused(() -> other.decrypt(EXPORT_IMPORT.get("message").asText()), MegolmException.Reason.BAD_SIGNATURE);
    }
}
