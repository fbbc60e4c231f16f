package io.keytrail.crypto.backup;

import static io.keytrail.crypto.backup.BackupVectors.JS;
import static io.keytrail.crypto.backup.BackupVectors.JSSDK;
import static io.keytrail.crypto.backup.BackupVectors.RECOVERY;
import static io.keytrail.crypto.backup.BackupVectors.RUST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.InvalidBackupKeyException.Reason;

class BackupDecryptionKeyTest {
    private static final byte[] PRIVATE = HexFormat.of().parseHex(RECOVERY.get("private_key_hex").asText());

    @Test
    void recoveryKeyVector_decodesToThePrivateKey_withOrWithoutSpaces() {
        assertThat(BackupDecryptionKey.fromRecoveryKey(RECOVERY.get("encoded").asText()).privateKeyBytes()).isEqualTo(PRIVATE);
        assertThat(BackupDecryptionKey.fromRecoveryKey(RECOVERY.get("also_accepted_without_spaces").asText()).privateKeyBytes())
                .isEqualTo(PRIVATE);
        assertThat(BackupDecryptionKey.fromRecoveryKey("  EsTc LW2K PGiF wKEA\n3As5 g5c4 BXwk qeeJ\tZJV8 Q9fu gUMN UE4d ")
                .privateKeyBytes()).isEqualTo(PRIVATE);
    }

    @Test
    void privateKey_encodesToTheRecoveryKeyVectorInGroupsOfFour() {
        assertThat(BackupDecryptionKey.fromBytes(PRIVATE).toRecoveryKey()).isEqualTo(RECOVERY.get("encoded").asText());
    }

    @Test
    void jsSdkAliceAndBobRecoveryKeys_matchTheirBase64Keys() {
        for (String who : new String[] {"", "BOB_"}) {
            BackupDecryptionKey fromBase58 = BackupDecryptionKey.parse(JSSDK.get(who + "BACKUP_DECRYPTION_KEY_BASE58").asText());
            BackupDecryptionKey fromBase64 = BackupDecryptionKey.parse(JSSDK.get(who + "BACKUP_DECRYPTION_KEY_BASE64").asText());
            assertThat(fromBase58).as(who + "key").isEqualTo(fromBase64);
            assertThat(fromBase64.toRecoveryKey()).isEqualTo(JSSDK.get(who + "BACKUP_DECRYPTION_KEY_BASE58").asText());
        }
    }

    @Test
    void paddedAndUnpaddedBase64_giveTheSameKey() {
        BackupDecryptionKey padded = BackupDecryptionKey.parse(JS.get("backup_private_key_b64_padded").asText());
        BackupDecryptionKey unpadded = BackupDecryptionKey.parse(RECOVERY.get("private_key_b64").asText());
        assertThat(padded).isEqualTo(unpadded);
        assertThat(padded.toBase64()).isEqualTo(RECOVERY.get("private_key_b64").asText());
    }

    @Test
    void publicKey_isTheX25519PublicKeyOfTheBackupVectors() {
        assertThat(BackupVectors.rustKey().publicKey().toBase64()).isEqualTo(RUST.get("backup_public_key_b64").asText());
        assertThat(BackupDecryptionKey.parse(JS.get("backup_private_key_b64_padded").asText()).publicKey().toBase64())
                .isEqualTo(JS.at("/auth_data_signed/auth_data/public_key").asText());
        assertThat(BackupDecryptionKey.parse(JSSDK.get("BOB_BACKUP_DECRYPTION_KEY_BASE64").asText()).publicKey().toBase64())
                .isEqualTo(JSSDK.at("/BOB_SIGNED_BACKUP_DATA/auth_data/public_key").asText());
    }

    @Test
    void keyOfAnotherBackup_doesNotMatchAndIsRejectedUpFront() {
        Curve25519PublicKey authData = Curve25519PublicKey.parse(JSSDK.at("/SIGNED_BACKUP_DATA/auth_data/public_key").asText());
        BackupDecryptionKey right = BackupDecryptionKey.parse(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE58").asText());
        BackupDecryptionKey other = BackupDecryptionKey.parse(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE64_ALT").asText());

        assertThat(right.matches(authData)).isTrue();
        right.requireMatches(authData);
        assertThat(other.matches(authData)).isFalse();
        assertReason(() -> other.requireMatches(authData), Reason.WRONG_KEY, "different key backup");
    }

    @Test
    void recoveryKeyWithBadParity_isRejected() {
        assertReason(() -> BackupDecryptionKey.parse(RECOVERY.get("bad_parity_example").asText()), Reason.BAD_PARITY, "mistyped");
    }

    @Test
    void recoveryKeyWithWrongPrefix_isRejected() {
        byte[] bytes = new byte[35];
        bytes[0] = (byte) 0x8B;
        bytes[1] = 0x02;
        System.arraycopy(PRIVATE, 0, bytes, 2, 32);
        for (int i = 0; i < 34; i++) {
            bytes[34] ^= bytes[i];
        }
        assertReason(() -> BackupDecryptionKey.fromRecoveryKey(Base58.encode(bytes)), Reason.WRONG_PREFIX, "not a Matrix recovery key");
    }

    @Test
    void recoveryKeyWithCharactersOutsideBase58_isRejectedNamingThePosition() {
        assertReason(() -> BackupDecryptionKey.parse("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE40"),
                Reason.INVALID_CHARACTER, "'0' at position 59");
        assertReason(() -> BackupDecryptionKey.parse("EsTc-LW2K-PGiF-wKEA-3As5-g5c4-BXwk-qeeJ-ZJV8-Q9fu-gUMN-UE4d"),
                Reason.INVALID_CHARACTER, "'-' at position 5");
    }

    @Test
    void recoveryKeyWithMissingOrExtraCharacters_hasTheWrongLength() {
        assertReason(() -> BackupDecryptionKey.parse("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN"),
                Reason.WRONG_LENGTH, "too few");
        assertReason(() -> BackupDecryptionKey.parse("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d abcd"),
                Reason.WRONG_LENGTH, "too many");
    }

    @Test
    void megabyteLongRecoveryKey_isRefusedByLengthBeforeDecoding() {
        String paste = "EsTc ".repeat(250_000);
        long start = System.nanoTime();
        assertReason(() -> BackupDecryptionKey.parse(paste), Reason.WRONG_LENGTH, "more than 64 characters");
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void base64KeyOfTheWrongSize_isRejected() {
        assertReason(() -> BackupDecryptionKey.fromBase64(UnpaddedBase64.encode(new byte[31])), Reason.WRONG_LENGTH, "31 bytes");
        assertReason(() -> BackupDecryptionKey.parse("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC*"), Reason.INVALID_CHARACTER, "base64");
    }

    @Test
    void generatedKey_survivesBothTextForms() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(0xa5));
        assertThat(BackupDecryptionKey.parse(key.toRecoveryKey())).isEqualTo(key);
        assertThat(BackupDecryptionKey.parse(key.toBase64())).isEqualTo(key);
        assertThat(BackupDecryptionKey.fromBytes(new byte[32]).toRecoveryKey()).startsWith("Es");
    }

    @Test
    void toString_showsThePublicKeyButNeverThePrivateKey() {
        BackupDecryptionKey key = BackupDecryptionKey.fromBytes(PRIVATE);
        assertThat(key.toString()).contains(key.publicKey().toBase64())
                .doesNotContain(key.toBase64()).doesNotContain(key.toRecoveryKey().substring(0, 9));
    }

    private static void assertReason(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidBackupKeyException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(messagePart);
    }
}
