package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.importBackup;
import static io.keytrail.imports.ImportFixtures.importKeyExport;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.errors.RefusalException;

/**
 * The public vectors (shared/vectors) through the import inputs: rust-sdk's TEST_EXPORT, element-web's
 * export files, rust-sdk's and js-sdk's key backups, and js-sdk's session data with its encrypted event.
 */
@EngineSpringTest
class PublicVectorImportTest {
    private static final JsonNode EXPORTS = load("/vectors/key-export-vectors.json");
    private static final JsonNode BACKUPS = load("/vectors/key-backup-vectors.json");
    private static final JsonNode JSSDK = load("/vectors/jssdk-crypto-test-data.json").get("data");

    @Autowired
    Keytrail keytrail;

    static JsonNode load(String resource) {
        try (InputStream in = PublicVectorImportTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rustSdkTestExport_importsItsSessionAsLegacy() {
        JsonNode vector = EXPORTS.get("rust_sdk_test_export");
        ObjectNode result = keytrail.process(importKeyExport(vector.get("passphrase").asText(),
                vector.get("file_text").asText()));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.path("imported")).hasSize(1);
        JsonNode expected = vector.at("/expected_sessions/0");
        assertThat(result.at("/imported/0/room_id")).isEqualTo(expected.get("room_id"));
        assertThat(result.at("/imported/0/session_id")).isEqualTo(expected.get("session_id"));
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        assertThat(keytrail.session("!test:localhost", expected.get("session_id").asText()).orElseThrow().imported())
                .isTrue();
    }

    @Test
    void rustSdkTestExport_withAnotherPassphrase_isBadPassphrase() {
        JsonNode vector = EXPORTS.get("rust_sdk_test_export");
        assertThatThrownBy(() -> keytrail.process(importKeyExport("12345", vector.get("file_text").asText())))
                .isInstanceOfSatisfying(RefusalException.class, e -> assertThat(e.code()).isEqualTo(RefusalCode.BAD_PASSPHRASE));
    }

    /** element-web's vectors encrypt arbitrary strings: they decrypt (one only with a 64-bit counter), then are refused as not room keys. */
    @Test
    void elementWebVectors_decrypt_butHoldNoRoomKeys() {
        for (JsonNode vector : EXPORTS.get("element_web_vectors")) {
            assertThatThrownBy(() -> keytrail.process(importKeyExport(vector.get("passphrase").asText(),
                    vector.get("file_text").asText()))).isInstanceOfSatisfying(RefusalException.class, e -> {
                        assertThat(e.code()).isEqualTo(RefusalCode.INVALID_EXPORT);
                        assertThat(e.getMessage()).contains("decrypted");
                    });
        }
    }

    @Test
    void rustSdkBackupVector_restoresWithTheBase64PrivateKey() {
        JsonNode vector = BACKUPS.at("/vectors/0");
        String sessionId = ExportedSessionKey.parse(vector.at("/expected_plaintext_json/session_key").asText()).sessionId();
        String roomId = room();
        ObjectNode body = JSON.objectNode();
        body.putObject("rooms").putObject(roomId).putObject("sessions").set(sessionId, vector.get("key_backup_data"));

        ObjectNode result = keytrail.process(importBackup(vector.get("backup_private_key_b64").asText(), body));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/session_id").asText()).isEqualTo(sessionId);
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
    }

    private static ObjectNode jsSdkBackupBody() {
        ObjectNode body = JSON.objectNode();
        body.putObject("rooms").putObject(JSSDK.get("TEST_ROOM_ID").asText()).putObject("sessions")
                .set(JSSDK.at("/MEGOLM_SESSION_DATA/session_id").asText(), JSSDK.get("CURVE25519_KEY_BACKUP_DATA"));
        return body;
    }

    @Test
    void jsSdkBackup_restoresWithTheRecoveryKey_andDecryptsTheEncryptedEvent_asInsecureSource() {
        ObjectNode result = keytrail.process(importBackup(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE58").asText(),
                jsSdkBackupBody()));
        ObjectNode again = keytrail.process(importBackup(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE64").asText(),
                jsSdkBackupBody()));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/session_id")).isEqualTo(JSSDK.at("/MEGOLM_SESSION_DATA/session_id"));
        assertThat(again.path("imported")).hasSize(1);
        assertDecryptsTheEncryptedEvent();
    }

    @Test
    void jsSdkBackup_withTheOtherTestKey_isAWrongKey() {
        assertThatThrownBy(() -> keytrail.process(importBackup(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE64_ALT").asText(),
                jsSdkBackupBody()))).isInstanceOfSatisfying(RefusalException.class,
                        e -> assertThat(e.code()).isEqualTo(RefusalCode.BAD_MAC));
    }

    @Test
    void jsSdkSessionData_importAsRoomKeys_andDecryptTheEncryptedEvent() {
        ObjectNode input = importRoomKeys();
        input.withArray("keys").addAll((ArrayNode) JSSDK.get("MEGOLM_SESSION_DATA_ARRAY"));
        input.withArray("keys").add(JSSDK.get("MEGOLM_SESSION_DATA"));

        ObjectNode result = keytrail.process(input);

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.path("imported")).hasSize(JSSDK.get("MEGOLM_SESSION_DATA_ARRAY").size() + 1);
        assertDecryptsTheEncryptedEvent();
    }

    /** js-sdk's "ratcheted" copy is not a genuine ratchet step (documented quirk): an unconnected copy. */
    @Test
    void jsSdkRatchetedQuirk_isRefusedAsAnUnconnectedCopy() {
        String roomId = room();
        ObjectNode original = ((ObjectNode) JSSDK.get("MEGOLM_SESSION_DATA").deepCopy()).put("room_id", roomId);
        ObjectNode ratcheted = ((ObjectNode) JSSDK.get("RATCHTED_MEGOLM_SESSION_DATA").deepCopy()).put("room_id", roomId);

        ObjectNode result = keytrail.process(importRoomKeys(original, ratcheted));

        assertThat(result.path("imported")).hasSize(1);
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("INVALID_SESSION_KEY");
    }

    private void assertDecryptsTheEncryptedEvent() {
        JsonNode event = JSSDK.get("ENCRYPTED_EVENT");
        ObjectNode decrypt = JSON.objectNode().put("type", "decrypt").put("room_id", event.get("room_id").asText())
                .put("policy", "CROSS_SIGNED_OR_LEGACY");
        decrypt.set("event", event);
        ObjectNode shown = keytrail.process(decrypt);
        assertThat(shown.at("/plaintext/content")).isEqualTo(JSSDK.at("/CLEAR_EVENT/content"));
        assertThat(shown.path("verification_state")).isEqualTo(
                JSON.objectNode().set("Unverified", JSON.objectNode().put("None", "InsecureSource")));
        LegacyImportSemanticsTest.assertWithheldAsInsecureSource(keytrail, decrypt.deepCopy().put("policy", "CROSS_SIGNED"));
    }
}
