package io.keytrail.crypto.backup;

import static io.keytrail.crypto.backup.BackupVectors.RUST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.UnpaddedBase64;

/**
 * MSC4048 {@code mac2} (revision with {@code mac2}; ADR 0018), checked against values derived from the MSC
 * text step by step with independent primitives (the JDK's HmacSHA256, HKDF written out from RFC 5869),
 * not with the Bouncy Castle code under test.
 *
 * <p>Derivation of the fixed vector (the rust-sdk backup vector: private key
 * {@code Ha9cklU/9NqFo9WKdVfGzmqUL/9wlkdxfEitbSIPVXw}, its 464-byte {@code session_data.ciphertext}):
 * <ol>
 * <li>HKDF-Extract with no salt (RFC 5869: HashLen zero bytes): {@code PRK = HMAC-SHA-256(32×0x00, privateKey)};</li>
 * <li>HKDF-Expand to 32 bytes, one block: {@code backup_mac_key = HMAC-SHA-256(PRK, "MATRIX_BACKUP_MAC_KEY" ‖ 0x01)}
 *     = {@value #MAC_KEY_HEX};</li>
 * <li>{@code mac2 = unpadded base64(HMAC-SHA-256(backup_mac_key, base64-decoded ciphertext))}
 *     = {@value #MAC2}.</li>
 * </ol>
 * The two constants were also computed with Python's {@code hmac}/{@code hashlib}, a third implementation.
 */
class BackupMac2Test {
    static final String MAC_KEY_HEX = "d333028798aa42eb74c9ab8a2a0e3b5ee5d402608d94c7116bfc131997de1a60";
    static final String MAC2 = "+yy4Frb8XHCgbC0INJGHyySqe/JoWfw1uJrDXzb9yh0";

    private static ObjectNode rustSessionData() {
        return (ObjectNode) RUST.at("/key_backup_data/session_data").deepCopy();
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void backupMacKey_isHkdfOfThePrivateKeyWithTheMscInfoString_computedStepByStep() throws Exception {
        byte[] privateKey = Base64.getDecoder().decode(padded(RUST.get("backup_private_key_b64").asText()));
        byte[] prk = hmac(new byte[32], privateKey);
        byte[] info = "MATRIX_BACKUP_MAC_KEY".getBytes(StandardCharsets.US_ASCII);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 0x01;
        byte[] expected = hmac(prk, block);

        assertThat(HexFormat.of().formatHex(expected)).isEqualTo(MAC_KEY_HEX);
        assertThat(BackupMac2.macKey(BackupVectors.rustKey())).isEqualTo(expected);
    }

    @Test
    void mac2_isTheFullHmacOfTheRawCiphertext_inUnpaddedBase64() throws Exception {
        byte[] ciphertext = Base64.getDecoder().decode(padded(rustSessionData().get("ciphertext").asText()));
        byte[] expected = hmac(HexFormat.of().parseHex(MAC_KEY_HEX), ciphertext);
        String expectedText = Base64.getEncoder().withoutPadding().encodeToString(expected);

        assertThat(expectedText).isEqualTo(MAC2);
        assertThat(BackupMac2.compute(BackupMac2.macKey(BackupVectors.rustKey()), ciphertext)).isEqualTo(MAC2);
        ObjectNode signed = BackupMac2.sign(rustSessionData(), BackupMac2.macKey(BackupVectors.rustKey()));
        assertThat(signed.get(BackupMac2.UNSTABLE_FIELD).asText()).isEqualTo(MAC2);
    }

    @Test
    void entryWithTheDerivedMac2_verifies_underEitherFieldName() {
        byte[] macKey = BackupMac2.macKey(BackupVectors.rustKey());
        assertThat(BackupMac2.check(rustSessionData().put("org.matrix.msc4048.mac2", MAC2), macKey))
                .isEqualTo(BackupMac2.Check.VALID);
        assertThat(BackupMac2.check(rustSessionData().put("mac2", MAC2), macKey)).isEqualTo(BackupMac2.Check.VALID);
    }

    @Test
    void publicVectorWithoutMac2_isAbsent() {
        assertThat(BackupMac2.check(rustSessionData(), BackupMac2.macKey(BackupVectors.rustKey())))
                .isEqualTo(BackupMac2.Check.ABSENT);
    }

    @Test
    void oneFlippedBitInMac2_isInvalid() {
        byte[] mac = UnpaddedBase64.decode(MAC2);
        mac[5] ^= 0x01;
        ObjectNode data = rustSessionData().put(BackupMac2.UNSTABLE_FIELD, UnpaddedBase64.encode(mac));
        assertThat(BackupMac2.check(data, BackupMac2.macKey(BackupVectors.rustKey()))).isEqualTo(BackupMac2.Check.INVALID);
    }

    @Test
    void oneFlippedBitInTheCiphertext_makesAGoodMac2Invalid() {
        ObjectNode data = rustSessionData().put(BackupMac2.UNSTABLE_FIELD, MAC2);
        byte[] ciphertext = UnpaddedBase64.decode(data.get("ciphertext").asText());
        ciphertext[0] ^= 0x01;
        data.put("ciphertext", UnpaddedBase64.encode(ciphertext));
        assertThat(BackupMac2.check(data, BackupMac2.macKey(BackupVectors.rustKey()))).isEqualTo(BackupMac2.Check.INVALID);
    }

    @Test
    void mac2UnderAnotherBackupKey_isInvalid() {
        BackupDecryptionKey other = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(3));
        ObjectNode data = BackupMac2.sign(rustSessionData(), BackupMac2.macKey(other));
        assertThat(BackupMac2.check(data, BackupMac2.macKey(BackupVectors.rustKey()))).isEqualTo(BackupMac2.Check.INVALID);
    }

    @Test
    void malformedMac2_orTwoNamesThatDisagree_areInvalid() {
        byte[] macKey = BackupMac2.macKey(BackupVectors.rustKey());
        assertThat(BackupMac2.check(rustSessionData().put("mac2", "not base64!"), macKey))
                .isEqualTo(BackupMac2.Check.INVALID);
        assertThat(BackupMac2.check(rustSessionData().put("mac2", UnpaddedBase64.encode(new byte[8])), macKey))
                .as("a truncated MAC is not accepted").isEqualTo(BackupMac2.Check.INVALID);
        assertThat(BackupMac2.check(rustSessionData().put("mac2", 7), macKey)).isEqualTo(BackupMac2.Check.INVALID);
        assertThat(BackupMac2.check(rustSessionData().put("org.matrix.msc4048.mac2", MAC2)
                .put("mac2", UnpaddedBase64.encode(new byte[32])), macKey)).isEqualTo(BackupMac2.Check.INVALID);
    }

    @Test
    void authenticatedFlag_isReadFromEitherName_andFalseWhenAbsentOrNotABoolean() {
        ObjectNode data = BackupVectors.MAPPER.createObjectNode();
        assertThat(BackupMac2.claimsAuthenticated(data)).isFalse();
        assertThat(BackupMac2.claimsAuthenticated(data.deepCopy().put("org.matrix.msc4048.authenticated", true))).isTrue();
        assertThat(BackupMac2.claimsAuthenticated(data.deepCopy().put("authenticated", true))).isTrue();
        assertThat(BackupMac2.claimsAuthenticated(data.deepCopy().put("authenticated", "true"))).isFalse();
        assertThat(BackupMac2.claimsAuthenticated(data.deepCopy().put("org.matrix.msc4048.authenticated", false))).isFalse();
    }

    private static String padded(String unpadded) {
        return unpadded + "=".repeat((4 - unpadded.length() % 4) % 4);
    }
}
