package io.keytrail.crypto.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.UnpaddedBase64;

/**
 * MSC4048 "authenticated key backup", the revision with {@code mac2} (an open proposal, not in the spec;
 * ADR 0018). A backup entry written by a holder of the backup's private key carries, beside the libolm
 * {@code mac} that authenticates nothing ({@link BackupCipher}), a MAC of its ciphertext under a key
 * derived from that private key:
 *
 * <pre>
 * backup_mac_key = HKDF-SHA-256(IKM = the 32 raw private key bytes, salt = none, info = "MATRIX_BACKUP_MAC_KEY", L = 32)
 * mac2           = unpadded base64( HMAC-SHA-256(backup_mac_key, the raw ciphertext bytes, before base64) )   (32 bytes)
 * </pre>
 *
 * <p>{@code mac2} sits in the cleartext {@code session_data} object. Until the MSC is accepted the field is
 * named {@value #UNSTABLE_FIELD} (the MSC's "unstable prefix" section); we write that name and read both it
 * and {@value #STABLE_FIELD}. The encrypted {@code SessionData} says whether its writer believed the key
 * authentic: {@value #UNSTABLE_AUTHENTICATED} (or {@code authenticated}), false when absent.
 *
 * <p>Anyone who can only read the public key cannot produce a valid {@code mac2}; the homeserver cannot
 * either. Only an entry whose {@code mac2} verifies may be believed about its creator.
 */
public final class BackupMac2 {
    public static final String UNSTABLE_FIELD = "org.matrix.msc4048.mac2";
    public static final String STABLE_FIELD = "mac2";
    public static final String UNSTABLE_AUTHENTICATED = "org.matrix.msc4048.authenticated";
    public static final String STABLE_AUTHENTICATED = "authenticated";
    static final byte[] INFO = "MATRIX_BACKUP_MAC_KEY".getBytes(StandardCharsets.US_ASCII);
    static final int LENGTH = 32;

    /** What one entry's {@code mac2} says. */
    public enum Check {
        /** No {@code mac2} (every backup other clients write today): unauthenticated, as before. */
        ABSENT,
        /** Every {@code mac2} the entry carries verifies. */
        VALID,
        /** A {@code mac2} is there but malformed or wrong: the entry was altered or forged. */
        INVALID
    }

    private BackupMac2() {
    }

    /** The backup MAC key derived from the backup's private key; secret. */
    public static byte[] macKey(BackupDecryptionKey key) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        // No salt: RFC 5869 then uses HashLen zero bytes, which is also what an empty HMAC key means.
        hkdf.init(new HKDFParameters(key.privateKeyBytes(), null, INFO));
        byte[] out = new byte[LENGTH];
        hkdf.generateBytes(out, 0, LENGTH);
        return out;
    }

    /** {@code mac2} of raw ciphertext bytes, unpadded base64. */
    public static String compute(byte[] macKey, byte[] ciphertext) {
        return UnpaddedBase64.encode(hmac(macKey, ciphertext));
    }

    /** Adds {@value #UNSTABLE_FIELD} to a {@code session_data} object written by {@link BackupCipher#encrypt}. */
    public static ObjectNode sign(ObjectNode sessionData, byte[] macKey) {
        byte[] ciphertext = UnpaddedBase64.decode(sessionData.get("ciphertext").asText());
        sessionData.put(UNSTABLE_FIELD, compute(macKey, ciphertext));
        return sessionData;
    }

    /**
     * Checks the {@code mac2} of one {@code session_data} object (either field name; when both are there
     * both must verify). A {@code mac2} next to an unreadable ciphertext is {@link Check#INVALID}.
     */
    public static Check check(JsonNode sessionData, byte[] macKey) {
        if (sessionData == null || !sessionData.isObject()) {
            return Check.ABSENT;
        }
        JsonNode unstable = sessionData.get(UNSTABLE_FIELD);
        JsonNode stable = sessionData.get(STABLE_FIELD);
        if (unstable == null && stable == null) {
            return Check.ABSENT;
        }
        byte[] ciphertext;
        try {
            JsonNode text = sessionData.get("ciphertext");
            if (text == null || !text.isTextual()) {
                return Check.INVALID;
            }
            ciphertext = UnpaddedBase64.decode(text.asText());
        } catch (CryptoInputException e) {
            return Check.INVALID;
        }
        byte[] expected = hmac(macKey, ciphertext);
        boolean ok = (unstable == null || verifies(unstable, expected)) && (stable == null || verifies(stable, expected));
        return ok ? Check.VALID : Check.INVALID;
    }

    /** The decrypted {@code SessionData}'s claim that its writer believed the key authentic. */
    public static boolean claimsAuthenticated(JsonNode sessionData) {
        JsonNode unstable = sessionData.get(UNSTABLE_AUTHENTICATED);
        JsonNode stable = sessionData.get(STABLE_AUTHENTICATED);
        return (unstable != null && unstable.isBoolean() && unstable.booleanValue())
                || (stable != null && stable.isBoolean() && stable.booleanValue());
    }

    private static boolean verifies(JsonNode mac, byte[] expected) {
        if (!mac.isTextual()) {
            return false;
        }
        try {
            return MessageDigest.isEqual(expected, UnpaddedBase64.decodeExact(mac.asText(), LENGTH, "mac2"));
        } catch (CryptoInputException e) {
            return false;
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
    }
}
