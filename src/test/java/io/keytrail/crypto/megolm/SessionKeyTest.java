package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import io.keytrail.crypto.UnpaddedBase64;
import org.junit.jupiter.api.Test;

class SessionKeyTest {
    private static final JsonNode LIBOLM_FIRST = MegolmVectors.libolm().get("group_messages").get(0);
    private static final JsonNode LIBOLM_SECOND = MegolmVectors.libolm().get("group_messages").get(1);
    private static final String SESSION_KEY = LIBOLM_FIRST.get("session_key").asText();
    private static final String EXPORT = LIBOLM_FIRST.get("exported_at_index0").asText();

    private static String withByte(String base64, int offset, int value) {
        byte[] bytes = UnpaddedBase64.decode(base64);
        bytes[offset] = (byte) value;
        return UnpaddedBase64.encode(bytes);
    }

    @Test
    void libolmSessionKeys_parseWithVerifiedSignature_andNameTheirSession() {
        for (JsonNode v : new JsonNode[] {LIBOLM_FIRST, LIBOLM_SECOND}) {
            SessionKey key = SessionKey.parse(v.get("session_key").asText());
            assertThat(key.index()).isZero();
            assertThat(key.sessionId()).isEqualTo(v.get("session_id").asText());
            assertThat(key.signingKey().toBase64()).isEqualTo(v.get("session_id").asText());
            assertThat(key.toBase64()).isEqualTo(v.get("session_key").asText());
        }
    }

    @Test
    void exportedSessionKey_parsesAndReEncodesExactly() {
        ExportedSessionKey export = ExportedSessionKey.parse(EXPORT);
        assertThat(export.index()).isZero();
        assertThat(export.sessionId()).isEqualTo(LIBOLM_FIRST.get("session_id").asText());
        assertThat(export.toBase64()).isEqualTo(EXPORT);
        assertThat(export.ratchet()).isEqualTo(SessionKey.parse(SESSION_KEY).ratchet());
    }

    @Test
    void sessionKeyWithFlippedRatchetOrSignatureByte_isRefusedAsBadSignature() {
        for (int offset : new int[] {5, 100, 132, 165, 228}) {
            assertRefused(() -> SessionKey.parse(TestMessages.flipByte(SESSION_KEY, offset)),
                    MegolmException.Reason.BAD_SESSION_KEY_SIGNATURE).hasMessageContaining("tampered");
        }
    }

    @Test
    void sessionKeyWithChangedIndex_isRefusedAsBadSignature() {
        assertRefused(() -> SessionKey.parse(withByte(SESSION_KEY, 4, 1)), MegolmException.Reason.BAD_SESSION_KEY_SIGNATURE);
    }

    @Test
    void exportGivenToSessionKeyParser_isUnsupportedVersion_withHint() {
        assertRefused(() -> SessionKey.parse(EXPORT), MegolmException.Reason.UNSUPPORTED_VERSION)
                .hasMessageContaining("ExportedSessionKey");
        assertRefused(() -> ExportedSessionKey.parse(SESSION_KEY), MegolmException.Reason.UNSUPPORTED_VERSION)
                .hasMessageContaining("parse it with SessionKey");
    }

    @Test
    void unknownVersionByte_isUnsupportedVersion() {
        assertRefused(() -> SessionKey.parse(withByte(SESSION_KEY, 0, 3)), MegolmException.Reason.UNSUPPORTED_VERSION);
        assertRefused(() -> ExportedSessionKey.parse(withByte(EXPORT, 0, 0)), MegolmException.Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void truncatedOrOverlongKeys_areMalformed() {
        assertRefused(() -> SessionKey.parse(TestMessages.truncate(SESSION_KEY, 1)),
                MegolmException.Reason.MALFORMED_SESSION_KEY).hasMessageContaining("229 bytes, got 228");
        assertRefused(() -> ExportedSessionKey.parse(TestMessages.truncate(EXPORT, 1)),
                MegolmException.Reason.MALFORMED_SESSION_KEY).hasMessageContaining("165 bytes, got 164");
        byte[] longer = Arrays.copyOf(UnpaddedBase64.decode(SESSION_KEY), 230);
        assertRefused(() -> SessionKey.parse(UnpaddedBase64.encode(longer)), MegolmException.Reason.MALFORMED_SESSION_KEY);
        byte[] longerExport = Arrays.copyOf(UnpaddedBase64.decode(EXPORT), 166);
        assertRefused(() -> ExportedSessionKey.parse(UnpaddedBase64.encode(longerExport)),
                MegolmException.Reason.MALFORMED_SESSION_KEY);
    }

    @Test
    void emptyOrInvalidBase64_isMalformed() {
        assertRefused(() -> SessionKey.parse(""), MegolmException.Reason.MALFORMED_SESSION_KEY);
        assertRefused(() -> SessionKey.parse(null), MegolmException.Reason.MALFORMED_SESSION_KEY);
        assertRefused(() -> SessionKey.parse(SESSION_KEY.replace('/', '_')), MegolmException.Reason.MALFORMED_SESSION_KEY)
                .hasMessageContaining("not valid base64");
        assertRefused(() -> ExportedSessionKey.parse(EXPORT + "A"), MegolmException.Reason.MALFORMED_SESSION_KEY);
        assertRefused(() -> ExportedSessionKey.parse("AQ!!"), MegolmException.Reason.MALFORMED_SESSION_KEY);
    }

    @Test
    void exportWhoseSigningKeyIsNotACurvePoint_isMalformed() {
        byte[] bytes = UnpaddedBase64.decode(EXPORT);
        Arrays.fill(bytes, 133, 165, (byte) 0);
        bytes[133] = 2; // y = 2 has no x on edwards25519
        assertRefused(() -> ExportedSessionKey.parse(UnpaddedBase64.encode(bytes)),
                MegolmException.Reason.MALFORMED_SESSION_KEY).hasMessageContaining("not a valid Ed25519 public key");
    }

    @Test
    void paddedBase64_isAccepted_likeEveryOtherKeyInKeytrail() {
        String padded = EXPORT + "=".repeat((4 - EXPORT.length() % 4) % 4);
        assertThat(ExportedSessionKey.parse(padded)).isEqualTo(ExportedSessionKey.parse(EXPORT));
    }

    @Test
    void toString_showsSessionIdAndIndexButNoKeyMaterial() {
        SessionKey key = SessionKey.parse(SESSION_KEY);
        assertThat(key.toString()).isEqualTo("SessionKey[sessionId=" + key.sessionId() + ", index=0]");
        assertThat(ExportedSessionKey.parse(EXPORT).toString()).doesNotContain(EXPORT.substring(8, 40));
    }
}
