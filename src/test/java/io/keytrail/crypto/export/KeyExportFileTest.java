package io.keytrail.crypto.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.crypto.export.KeyExportException.Reason;

class KeyExportFileTest {
    private static final JsonNode VECTORS = load("/vectors/key-export-vectors.json");
    private static final String JSON = "[{\"room_id\":\"!r:x\",\"note\":\"h\u00e9llo \uD83D\uDD11\"}]";

    static JsonNode load(String resource) {
        try (InputStream in = KeyExportFileTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<JsonNode> elementWebVectors() {
        return StreamSupport.stream(VECTORS.get("element_web_vectors").spliterator(), false);
    }

    @Test
    void rustSdkTestExport_decryptsToTheExpectedJson() {
        JsonNode v = VECTORS.get("rust_sdk_test_export");
        assertThat(KeyExportFile.decrypt(v.get("file_text").asText(), v.get("passphrase").asText()))
                .isEqualTo(v.get("expected_plaintext_utf8").asText());
    }

    @ParameterizedTest(name = "element-web vector {index}")
    @MethodSource("elementWebVectors")
    void elementWebVector_decryptsToTheExpectedPlaintext(JsonNode v) {
        assertThat(KeyExportFile.decrypt(v.get("file_text").asText(), v.get("passphrase").asText()))
                .isEqualTo(v.get("expected_plaintext").asText());
    }

    @Test
    void ivWithBit63Set_isReadWithA64BitCounterAsWebCryptoDoes() throws Exception {
        JsonNode v = VECTORS.get("element_web_vectors").get(3);
        byte[] iv = HexFormat.of().parseHex(v.at("/header/iv").asText());
        assertThat(iv[8] & 0x80).isNotZero();
        byte[] data = body(v.get("file_text").asText());
        byte[] key = Arrays.copyOf(pbkdf2(v.get("passphrase").asText(), v.at("/header/salt").asText(), 1000), 32);
        byte[] ciphertext = Arrays.copyOfRange(data, 37, data.length - 32);

        // A 128-bit counter (BC SICBlockCipher) carries into the high half after the first block ...
        SICBlockCipher ctr128 = (SICBlockCipher) SICBlockCipher.newInstance(AESEngine.newInstance());
        ctr128.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] wrong = new byte[ciphertext.length];
        ctr128.processBytes(ciphertext, 0, ciphertext.length, wrong, 0);
        assertThat(new String(wrong, StandardCharsets.ISO_8859_1)).isNotEqualTo(v.get("expected_plaintext").asText());
        // ... while ours keeps it fixed, so this vector decrypts.
        assertThat(new String(Ctr64.apply(key, iv, ciphertext), StandardCharsets.UTF_8))
                .isEqualTo(v.get("expected_plaintext").asText());
    }

    @Test
    void encryptThenDecrypt_returnsTheOriginalJson() {
        String file = KeyExportFile.encrypt(JSON, "correct horse", 10, new FixedRandom(0x5a));
        assertThat(KeyExportFile.decrypt(file, "correct horse")).isEqualTo(JSON);
    }

    @Test
    void ourFile_passesAnIndependentCheckOfTheFormat() throws Exception {
        String file = KeyExportFile.encrypt(JSON, "pässwörd", 7, new FixedRandom(0xff));
        List<String> lines = file.lines().toList();
        assertThat(lines.get(0)).isEqualTo("-----BEGIN MEGOLM SESSION DATA-----");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-----END MEGOLM SESSION DATA-----");
        assertThat(lines.subList(1, lines.size() - 1)).allSatisfy(l -> assertThat(l.length()).isBetween(1, 128));

        byte[] data = Base64.getMimeDecoder().decode(String.join("", lines.subList(1, lines.size() - 1)));
        byte[] json = JSON.getBytes(StandardCharsets.UTF_8);
        assertThat(data).hasSize(1 + 16 + 16 + 4 + json.length + 32);
        assertThat(data[0]).isEqualTo((byte) 1);
        byte[] salt = Arrays.copyOfRange(data, 1, 17);
        byte[] iv = Arrays.copyOfRange(data, 17, 33);
        assertThat(iv[8] & 0x80).as("IV bit 63").isZero();
        assertThat(ByteBuffer.wrap(data, 33, 4).getInt()).isEqualTo(7);

        byte[] keys = pbkdf2("pässwörd", HexFormat.of().formatHex(salt), 7);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(keys, 32, 32, "HmacSHA256"));
        hmac.update(data, 0, data.length - 32);
        assertThat(hmac.doFinal()).isEqualTo(Arrays.copyOfRange(data, data.length - 32, data.length));
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys, 0, 32, "AES"), new IvParameterSpec(iv));
        assertThat(aes.doFinal(data, 37, json.length)).isEqualTo(json);
    }

    @Test
    void defaultRounds_isWhatElementWebWritesAndMeetsTheSpecMinimum() {
        assertThat(KeyExportFile.DEFAULT_ROUNDS).isEqualTo(500_000).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void headerAndFooterWithCrlfLineEndingsAndSurroundingText_areAccepted() {
        String file = KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(1));
        String crlf = "saved by some client\r\n" + file.replace("\n", "\r\n") + "\r\n";
        assertThat(KeyExportFile.decrypt(crlf, "pw")).isEqualTo(JSON);
    }

    @Test
    void wrongPassphrase_isReportedAsBadPassphrase() {
        JsonNode v = VECTORS.get("rust_sdk_test_export");
        assertThatThrownBy(() -> KeyExportFile.decrypt(v.get("file_text").asText(), "12345"))
                .isInstanceOfSatisfying(KeyExportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PASSPHRASE))
                .hasMessageContaining("passphrase is wrong").hasMessageContaining("corrupted");
    }

    @Test
    void alteredCiphertext_isReportedAsBadPassphraseOrCorruption() {
        byte[] data = body(KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(2)));
        data[40] ^= 1;
        assertReason(() -> KeyExportFile.decrypt(armor(data), "pw"), Reason.BAD_PASSPHRASE);
    }

    @Test
    void fileCutOffBeforeTheFooter_isMalformed() {
        String file = KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(3));
        assertReason(() -> KeyExportFile.decrypt(file.substring(0, file.length() / 2), "pw"), Reason.MALFORMED);
    }

    @Test
    void bodyShorterThanHeaderAndMac_isMalformed() {
        byte[] data = body(KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(4)));
        assertThatThrownBy(() -> KeyExportFile.decrypt(armor(Arrays.copyOf(data, 68)), "pw"))
                .isInstanceOfSatisfying(KeyExportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("truncated");
    }

    @Test
    void emptyBody_isMalformed() {
        assertReason(() -> KeyExportFile.decrypt(KeyExportFile.HEADER + "\n" + KeyExportFile.FOOTER, "pw"), Reason.MALFORMED);
    }

    @Test
    void missingHeader_isMalformed() {
        String file = KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(5));
        assertThatThrownBy(() -> KeyExportFile.decrypt(file.replace(KeyExportFile.HEADER, ""), "pw"))
                .isInstanceOfSatisfying(KeyExportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("BEGIN MEGOLM SESSION DATA");
    }

    @Test
    void missingFooter_isMalformed() {
        String file = KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(6));
        assertThatThrownBy(() -> KeyExportFile.decrypt(file.replace(KeyExportFile.FOOTER, ""), "pw"))
                .isInstanceOfSatisfying(KeyExportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("END MEGOLM SESSION DATA");
    }

    @Test
    void wrongVersionByte_isUnsupportedVersion() {
        byte[] data = body(KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(7)));
        data[0] = 2;
        assertReason(() -> KeyExportFile.decrypt(armor(data), "pw"), Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void characterOutsideTheBase64Alphabet_isMalformed() {
        String file = KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(8));
        String corrupted = file.replaceFirst("\n(.)", "\n*");
        assertThatThrownBy(() -> KeyExportFile.decrypt(corrupted, "pw"))
                .isInstanceOfSatisfying(KeyExportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("base64");
    }

    @Test
    void zeroRoundsInTheFile_isInvalidRounds() {
        byte[] data = body(KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(9)));
        ByteBuffer.wrap(data).putInt(33, 0);
        assertReason(() -> KeyExportFile.decrypt(armor(data), "pw"), Reason.INVALID_ROUNDS);
    }

    @Test
    void absurdRoundsInTheFile_isRejectedBeforeAnyKeyDerivation() {
        byte[] data = body(KeyExportFile.encrypt(JSON, "pw", 3, new FixedRandom(10)));
        ByteBuffer.wrap(data).putInt(33, -1); // 2^32 - 1 rounds would take hours
        assertReason(() -> KeyExportFile.decrypt(armor(data), "pw"), Reason.INVALID_ROUNDS);
    }

    @Test
    void encryptWithZeroRounds_isRefused() {
        assertReason(() -> KeyExportFile.encrypt(JSON, "pw", 0, new FixedRandom(11)), Reason.INVALID_ROUNDS);
    }

    @Test
    void authenticPayloadThatIsNotUtf8_isInvalidPayload() throws Exception {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        byte[] keys = pbkdf2("pw", HexFormat.of().formatHex(salt), 2);
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys, 0, 32, "AES"), new IvParameterSpec(iv));
        byte[] ciphertext = aes.doFinal(new byte[] {(byte) 0xc3, 0x28});
        ByteBuffer buf = ByteBuffer.allocate(37 + ciphertext.length + 32);
        buf.put((byte) 1).put(salt).put(iv).putInt(2).put(ciphertext);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(keys, 32, 32, "HmacSHA256"));
        hmac.update(buf.array(), 0, buf.position());
        buf.put(hmac.doFinal());
        assertReason(() -> KeyExportFile.decrypt(armor(buf.array()), "pw"), Reason.INVALID_PAYLOAD);
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KeyExportException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] pbkdf2(String passphrase, String saltHex, int rounds) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), HexFormat.of().parseHex(saltHex), rounds, 512);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    }

    private static byte[] body(String file) {
        String b64 = file.substring(file.indexOf('\n') + 1, file.indexOf("-----END")).replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    private static String armor(byte[] data) {
        return KeyExportFile.HEADER + "\n" + Base64.getEncoder().encodeToString(data) + "\n" + KeyExportFile.FOOTER + "\n";
    }

    /** A deterministic "random" source: every byte is the given value. */
    static final class FixedRandom extends SecureRandom {
        private final byte value;

        FixedRandom(int value) {
            this.value = (byte) value;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, value);
        }
    }
}
