package io.keytrail.crypto.backup;

import static io.keytrail.crypto.backup.BackupVectors.JS;
import static io.keytrail.crypto.backup.BackupVectors.JSSDK;
import static io.keytrail.crypto.backup.BackupVectors.RUST;
import static io.keytrail.crypto.backup.BackupVectors.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.BackupDecryptionException.Reason;

class BackupCipherTest {
    private static final String SESSION = "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"x\",\"note\":\"h\u00e9\"}";

    private static ObjectNode rustSessionData() {
        return (ObjectNode) RUST.at("/key_backup_data/session_data").deepCopy();
    }

    @Test
    void rustSdkVector_decryptsToTheExpectedSession() {
        String plaintext = BackupCipher.decrypt(rustSessionData(), BackupVectors.rustKey());
        assertThat(json(plaintext)).isEqualTo(RUST.get("expected_plaintext_json"));
    }

    @Test
    void jsSdkVector_decryptsWithThePaddedBase64Key() {
        BackupDecryptionKey key = BackupDecryptionKey.parse(JS.get("backup_private_key_b64_padded").asText());
        String plaintext = BackupCipher.decrypt(JS.at("/key_backup_data/session_data"), key);
        assertThat(json(plaintext)).isEqualTo(JS.get("expected_plaintext_json"));
    }

    @Test
    void jsSdkTestDataForAliceAndBob_decryptsWithTheirRecoveryKeys() {
        for (String who : new String[] {"", "BOB_"}) {
            BackupDecryptionKey key = BackupDecryptionKey.parse(JSSDK.get(who + "BACKUP_DECRYPTION_KEY_BASE58").asText());
            String plaintext = BackupCipher.decrypt(JSSDK.at("/" + who + "CURVE25519_KEY_BACKUP_DATA/session_data"), key);
            ObjectNode expected = (ObjectNode) JSSDK.get(who + "MEGOLM_SESSION_DATA");
            assertThat(json(plaintext).get("session_key")).as(who).isEqualTo(expected.get("session_key"));
            assertThat(json(plaintext).get("sender_key")).as(who).isEqualTo(expected.get("sender_key"));
        }
    }

    @Test
    void encryptThenDecrypt_returnsTheOriginalJson() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(7));
        ObjectNode sessionData = BackupCipher.encrypt(SESSION, key.publicKey(), new BackupVectors.FixedRandom(9));
        assertThat(sessionData.fieldNames()).toIterable().containsExactlyInAnyOrder("ephemeral", "ciphertext", "mac");
        assertThat(UnpaddedBase64.decode(sessionData.get("mac").asText())).hasSize(8);
        assertThat(BackupCipher.decrypt(sessionData, key)).isEqualTo(SESSION);
    }

    @Test
    void wrongKey_failsWithBadMac() {
        BackupDecryptionKey wrong = BackupDecryptionKey.parse(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE64_ALT").asText());
        assertReason(() -> BackupCipher.decrypt(rustSessionData(), wrong), Reason.BAD_MAC, "different key");
    }

    @Test
    void alteredMac_failsWithBadMac() {
        ObjectNode data = rustSessionData().put("mac", UnpaddedBase64.encode(new byte[8]));
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.BAD_MAC, "MAC");
    }

    @Test
    void macDoesNotCoverTheCiphertext_soAReplacedCiphertextStillPasses() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(7));
        // Same ephemeral key twice, so both entries have the same MAC key and the same MAC.
        ObjectNode original = BackupCipher.encrypt(SESSION, key.publicKey(), new BackupVectors.FixedRandom(9));
        ObjectNode forged = BackupCipher.encrypt("{\"forged\":true}", key.publicKey(), new BackupVectors.FixedRandom(9));
        assertThat(forged.get("mac")).isEqualTo(original.get("mac"));

        original.set("ciphertext", forged.get("ciphertext"));
        assertThat(BackupCipher.decrypt(original, key)).isEqualTo("{\"forged\":true}");
    }

    @Test
    void ciphertextWithBadPadding_failsToDecrypt() {
        ObjectNode data = rustSessionData().put("ciphertext", UnpaddedBase64.encode(new byte[32]));
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.DECRYPTION_FAILED, "padding");
    }

    @Test
    void lowOrderEphemeralKey_failsToDecrypt() {
        ObjectNode data = rustSessionData().put("ephemeral", UnpaddedBase64.encode(new byte[32]));
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.DECRYPTION_FAILED, "low-order");
    }

    @Test
    void missingEphemeral_isMalformed() {
        ObjectNode data = rustSessionData();
        data.remove("ephemeral");
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA,
                "session_data.ephemeral is missing");
    }

    @Test
    void ephemeralOfTheWrongLength_isMalformed() {
        ObjectNode data = rustSessionData().put("ephemeral", UnpaddedBase64.encode(new byte[31]));
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA,
                "session_data.ephemeral");
    }

    @Test
    void ciphertextThatIsNotBase64_isMalformed() {
        ObjectNode data = rustSessionData().put("ciphertext", "not*base64");
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA,
                "session_data.ciphertext");
    }

    @Test
    void ciphertextThatIsNotWholeBlocks_isMalformed() {
        ObjectNode data = rustSessionData().put("ciphertext", UnpaddedBase64.encode(new byte[20]));
        assertReason(() -> BackupCipher.decrypt(data, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA, "AES blocks");
    }

    @Test
    void macOfTheWrongLengthOrType_isMalformed() {
        ObjectNode longMac = rustSessionData().put("mac", UnpaddedBase64.encode(new byte[32]));
        assertReason(() -> BackupCipher.decrypt(longMac, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA, "session_data.mac");
        ObjectNode numberMac = rustSessionData().put("mac", 12);
        assertReason(() -> BackupCipher.decrypt(numberMac, BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA, "session_data.mac");
    }

    @Test
    void sessionDataThatIsNotAnObject_isMalformed() {
        assertReason(() -> BackupCipher.decrypt(json("\"text\""), BackupVectors.rustKey()), Reason.MALFORMED_SESSION_DATA, "object");
    }

    private static void assertReason(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BackupDecryptionException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(messagePart);
    }
}
