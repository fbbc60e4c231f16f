package io.keytrail.crypto.backup;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.BackupDecryptionException.Reason;

/**
 * The {@code session_data} encryption of {@code m.megolm_backup.v1.curve25519-aes-sha2} (spec:
 * "Server-side key backups"; libolm/vodozemac "PkEncryption"):
 *
 * <pre>
 * shared = X25519(ephemeral, backup key)
 * aesKey[32] | macKey[32] | iv[16] = HKDF-SHA-256(shared, salt = 32 zero bytes, info = "", 80)
 * ciphertext = AES-256-CBC-PKCS7(aesKey, iv, UTF-8 JSON)
 * mac = first 8 bytes of HMAC-SHA-256(macKey, "")
 * </pre>
 *
 * <p>Anyone who knows the backup's public key can write entries, including the homeserver, so a
 * decrypted entry proves nothing about who created the session.
 */
public final class BackupCipher {
    private static final int MAC_LENGTH = 8;
    private static final int BLOCK = 16;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private BackupCipher() {
    }

    /** Decrypts one {@code session_data} object ({@code ephemeral}, {@code ciphertext}, {@code mac}) to its JSON text. */
    public static String decrypt(JsonNode sessionData, BackupDecryptionKey key) {
        if (sessionData == null || !sessionData.isObject()) {
            throw new BackupDecryptionException(Reason.MALFORMED_SESSION_DATA, "session_data must be a JSON object");
        }
        byte[] ephemeral = field(sessionData, "ephemeral", Curve25519PublicKey.LENGTH);
        byte[] ciphertext = field(sessionData, "ciphertext", -1);
        byte[] mac = field(sessionData, "mac", MAC_LENGTH);
        if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
            throw new BackupDecryptionException(Reason.MALFORMED_SESSION_DATA, "session_data.ciphertext: "
                    + ciphertext.length + " bytes is not a whole, non-zero number of AES blocks");
        }
        byte[] shared = agree(new X25519PrivateKeyParameters(key.privateKeyBytes()), ephemeral);
        Keys keys = Keys.derive(shared);
        // Constant-time, for form's sake: the MAC depends only on the shared secret, so a mismatch
        // just means the entry was encrypted for another key (or its ephemeral key was altered).
        if (!MessageDigest.isEqual(keys.mac(), mac)) {
            throw new BackupDecryptionException(Reason.BAD_MAC, "the MAC does not match: this session was"
                    + " backed up with a different key (wrong recovery key, or the entry was altered)");
        }
        byte[] plaintext;
        try {
            plaintext = cbc(false, keys, ciphertext);
        } catch (InvalidCipherTextException e) {
            throw new BackupDecryptionException(Reason.DECRYPTION_FAILED,
                    "the ciphertext does not decrypt (bad padding): the entry is corrupted", e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext)).toString();
        } catch (CharacterCodingException e) {
            throw new BackupDecryptionException(Reason.INVALID_UTF8, "the decrypted session is not UTF-8 text", e);
        }
    }

    /** Encrypts {@code json} for the backup key {@code backupPublicKey}; returns the {@code session_data} object. */
    public static ObjectNode encrypt(String json, Curve25519PublicKey backupPublicKey, SecureRandom random) {
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(random);
        Keys keys = Keys.derive(agree(ephemeral, backupPublicKey.toBytes()));
        byte[] ciphertext;
        try {
            ciphertext = cbc(true, keys, json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-CBC encryption cannot fail", e);
        }
        ObjectNode out = JSON.objectNode();
        out.put("ephemeral", UnpaddedBase64.encode(ephemeral.generatePublicKey().getEncoded()));
        out.put("ciphertext", UnpaddedBase64.encode(ciphertext));
        out.put("mac", UnpaddedBase64.encode(keys.mac()));
        return out;
    }

    private static byte[] agree(X25519PrivateKeyParameters privateKey, byte[] publicKey) {
        byte[] shared = new byte[32];
        try {
            privateKey.generateSecret(new X25519PublicKeyParameters(publicKey), shared, 0);
        } catch (IllegalStateException e) {
            // BC refuses an all-zero result, which only a low-order (crafted) public key produces.
            throw new BackupDecryptionException(Reason.DECRYPTION_FAILED,
                    "session_data.ephemeral is a low-order Curve25519 point that no real client produces", e);
        }
        return shared;
    }

    private static byte[] cbc(boolean encrypt, Keys keys, byte[] input) throws InvalidCipherTextException {
        BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(
                CBCBlockCipher.newInstance(AESEngine.newInstance()), new PKCS7Padding());
        cipher.init(encrypt, new ParametersWithIV(new KeyParameter(keys.aes()), keys.iv()));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = cipher.processBytes(input, 0, input.length, out, 0);
        n += cipher.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    private static byte[] field(JsonNode sessionData, String name, int length) {
        JsonNode value = sessionData.get(name);
        if (value == null || !value.isTextual()) {
            throw new BackupDecryptionException(Reason.MALFORMED_SESSION_DATA, "session_data." + name
                    + (value == null ? " is missing" : " must be a base64 string"));
        }
        try {
            return length < 0 ? UnpaddedBase64.decode(value.asText())
                    : UnpaddedBase64.decodeExact(value.asText(), length, "session_data." + name);
        } catch (CryptoInputException e) {
            String message = e.getMessage().startsWith("session_data.") ? e.getMessage()
                    : "session_data." + name + ": " + e.getMessage();
            throw new BackupDecryptionException(Reason.MALFORMED_SESSION_DATA, message, e);
        }
    }

    private record Keys(byte[] aes, byte[] macKey, byte[] iv) {
        static Keys derive(byte[] shared) {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(shared, new byte[32], new byte[0]));
            byte[] okm = new byte[80];
            hkdf.generateBytes(okm, 0, okm.length);
            return new Keys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64),
                    Arrays.copyOfRange(okm, 64, 80));
        }

        /**
         * libolm's MAC bug, kept by every client for compatibility: the HMAC is computed over the
         * EMPTY input, not over the ciphertext. It therefore depends only on the key, authenticates
         * nothing, and cannot detect a modified ciphertext. It only tells a wrong key apart.
         */
        byte[] mac() {
            HMac hmac = new HMac(new SHA256Digest());
            hmac.init(new KeyParameter(macKey));
            byte[] full = new byte[hmac.getMacSize()];
            hmac.doFinal(full, 0);
            return Arrays.copyOf(full, MAC_LENGTH);
        }
    }
}
