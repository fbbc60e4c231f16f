package io.keytrail.crypto.export;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.export.KeyExportException.Reason;

/**
 * Passphrase-protected room-key export files (spec: end-to-end encryption, "Key exports").
 *
 * <pre>
 * -----BEGIN MEGOLM SESSION DATA-----
 * base64( 0x01 | salt[16] | iv[16] | rounds u32 BE | AES-256-CTR(K, iv, json) | HMAC-SHA-256(K', all before) )
 * -----END MEGOLM SESSION DATA-----
 * K || K' = PBKDF2-HMAC-SHA-512(UTF-8 passphrase, salt, rounds, 64 bytes)
 * </pre>
 *
 * <p>The payload is returned as text; parsing the JSON array is {@code ExportedRoomKey.parseArray}'s
 * job. Nothing in the file proves who created the sessions: a correct MAC only shows that whoever
 * wrote the file knew the passphrase.
 */
public final class KeyExportFile {
    public static final String HEADER = "-----BEGIN MEGOLM SESSION DATA-----";
    public static final String FOOTER = "-----END MEGOLM SESSION DATA-----";
    /** What element-web writes; the spec asks for at least {@link #MIN_RECOMMENDED_ROUNDS}. */
    public static final int DEFAULT_ROUNDS = 500_000;
    public static final int MIN_RECOMMENDED_ROUNDS = 100_000;
    /**
     * Twenty times the element-web default. The round count comes from the file before the MAC can be
     * checked, so without a cap a crafted file (up to 2^32 - 1 rounds) would keep a thread busy for hours.
     */
    public static final int MAX_ROUNDS = 10_000_000;

    static final int VERSION = 0x01;
    static final int SALT_LENGTH = 16;
    static final int IV_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    static final int HEADER_LENGTH = 1 + SALT_LENGTH + IV_LENGTH + 4;
    /** element-web writes 96 raw bytes per line, which is 128 base64 characters. */
    static final int LINE_LENGTH = 128;

    private KeyExportFile() {
    }

    /** Decrypts an export file and returns its payload (a JSON array of exported room keys, as text). */
    public static String decrypt(String fileText, String passphrase) {
        byte[] data = decodeBody(fileText);
        if (data.length == 0) {
            throw new KeyExportException(Reason.MALFORMED, "The key export file is empty between its header and footer.");
        }
        if ((data[0] & 0xff) != VERSION) {
            throw new KeyExportException(Reason.UNSUPPORTED_VERSION, "The key export file has format version "
                    + (data[0] & 0xff) + "; only version 1 is supported. It may come from a newer client.");
        }
        if (data.length < HEADER_LENGTH + MAC_LENGTH) {
            throw new KeyExportException(Reason.MALFORMED, "The key export file is truncated: " + data.length
                    + " bytes, but even an empty export needs " + (HEADER_LENGTH + MAC_LENGTH) + ".");
        }
        byte[] salt = Arrays.copyOfRange(data, 1, 1 + SALT_LENGTH);
        byte[] iv = Arrays.copyOfRange(data, 1 + SALT_LENGTH, 1 + SALT_LENGTH + IV_LENGTH);
        long rounds = ByteBuffer.wrap(data, 1 + SALT_LENGTH + IV_LENGTH, 4).getInt() & 0xffffffffL;
        checkRounds(rounds);

        byte[] keys = deriveKeys(passphrase, salt, (int) rounds);
        byte[] aesKey = Arrays.copyOfRange(keys, 0, 32);
        byte[] macKey = Arrays.copyOfRange(keys, 32, 64);
        int macOffset = data.length - MAC_LENGTH;
        byte[] expectedMac = hmacSha256(macKey, data, macOffset);
        byte[] actualMac = Arrays.copyOfRange(data, macOffset, data.length);
        // Authenticate before decrypting (never act on unauthenticated plaintext), in constant time.
        if (!MessageDigest.isEqual(expectedMac, actualMac)) {
            throw new KeyExportException(Reason.BAD_PASSPHRASE, "The passphrase is wrong, or the key export"
                    + " file is corrupted or was altered (its MAC does not match). Check the passphrase and try again.");
        }
        byte[] plaintext = Ctr64.apply(aesKey, iv, Arrays.copyOfRange(data, HEADER_LENGTH, macOffset));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext)).toString();
        } catch (CharacterCodingException e) {
            throw new KeyExportException(Reason.INVALID_PAYLOAD,
                    "The key export file decrypted, but its content is not UTF-8 text.", e);
        }
    }

    /** Writes {@code json} as an export file with {@link #DEFAULT_ROUNDS}. */
    public static String encrypt(String json, String passphrase, SecureRandom random) {
        return encrypt(json, passphrase, DEFAULT_ROUNDS, random);
    }

    /**
     * Writes {@code json} as an export file. Use {@link #DEFAULT_ROUNDS} for real exports; small
     * round counts are accepted for tests and fixtures only.
     */
    public static String encrypt(String json, String passphrase, int rounds, SecureRandom random) {
        checkRounds(rounds);
        byte[] salt = new byte[SALT_LENGTH];
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(iv);
        // Clear bit 63 so that readers with a 64-bit counter (WebCrypto) and with a 128-bit counter
        // (Bouncy Castle, RustCrypto) produce the same key stream (spec: "Key exports").
        iv[8] &= 0x7f;
        byte[] keys = deriveKeys(passphrase, salt, rounds);
        byte[] ciphertext = Ctr64.apply(Arrays.copyOfRange(keys, 0, 32), iv, json.getBytes(StandardCharsets.UTF_8));

        ByteBuffer body = ByteBuffer.allocate(HEADER_LENGTH + ciphertext.length + MAC_LENGTH);
        body.put((byte) VERSION).put(salt).put(iv).putInt(rounds).put(ciphertext);
        body.put(hmacSha256(Arrays.copyOfRange(keys, 32, 64), body.array(), body.position()));
        return armor(Base64.getEncoder().encodeToString(body.array()));
    }

    private static String armor(String base64) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            out.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        return out.append(FOOTER).append('\n').toString();
    }

    /**
     * Finds the header line, then the footer line after it, and decodes everything in between as one
     * base64 string (padded or not, line breaks and other whitespace ignored).
     */
    private static byte[] decodeBody(String fileText) {
        if (fileText == null) {
            throw new KeyExportException(Reason.MALFORMED, "No key export file was given.");
        }
        String[] lines = fileText.split("\r\n|\r|\n", -1);
        int header = -1;
        for (int i = 0; i < lines.length && header < 0; i++) {
            if (lines[i].strip().equals(HEADER)) {
                header = i;
            }
        }
        if (header < 0) {
            throw new KeyExportException(Reason.MALFORMED, "This is not a Matrix key export file: the line "
                    + HEADER + " is missing.");
        }
        StringBuilder base64 = new StringBuilder();
        for (int i = header + 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals(FOOTER)) {
                return decodeBase64(base64.toString());
            }
            for (int j = 0; j < line.length(); j++) {
                if (!Character.isWhitespace(line.charAt(j))) {
                    base64.append(line.charAt(j));
                }
            }
        }
        throw new KeyExportException(Reason.MALFORMED, "The key export file is incomplete: the line " + FOOTER
                + " is missing after the header. The file may have been cut off.");
    }

    private static byte[] decodeBase64(String base64) {
        try {
            return UnpaddedBase64.decode(base64);
        } catch (CryptoInputException e) {
            throw new KeyExportException(Reason.MALFORMED,
                    "The key export file is corrupted: its body is not valid base64 (" + e.getMessage() + ").", e);
        }
    }

    static void checkRounds(long rounds) {
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new KeyExportException(Reason.INVALID_ROUNDS, "The key export file asks for " + rounds
                    + " PBKDF2 rounds; a usable file has between 1 and " + MAX_ROUNDS
                    + " (clients write " + DEFAULT_ROUNDS + "). The file is corrupted or not a real export.");
        }
    }

    static byte[] deriveKeys(String passphrase, byte[] salt, int rounds) {
        if (passphrase == null) {
            throw new IllegalArgumentException("passphrase is required");
        }
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
        pbkdf2.init(passphrase.getBytes(StandardCharsets.UTF_8), salt, rounds);
        return ((KeyParameter) pbkdf2.generateDerivedMacParameters(64 * 8)).getKey();
    }

    private static byte[] hmacSha256(byte[] key, byte[] data, int length) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
