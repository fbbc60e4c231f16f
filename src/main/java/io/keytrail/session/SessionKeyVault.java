package io.keytrail.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.keytrail.crypto.UnpaddedBase64;

/**
 * Encrypts Megolm session keys before they reach the event store (design section 8: they are secret,
 * never stored in clear, and can be crypto-shredded by destroying the key).
 *
 * <p>AES-256-GCM with a random 96-bit nonce; the session's identity is the associated data, so a
 * stored blob cannot be moved to another session. The stored form is
 * {@code v1:<key id>:<nonce b64>:<ciphertext+tag b64>}; the key id (a hash prefix of the key) lets an
 * auditor see which key a blob needs, and lets key rotation keep old keys readable.
 */
public final class SessionKeyVault {
    private static final String VERSION = "v1";
    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random;

    public SessionKeyVault(byte[] keyBytes, SecureRandom random) {
        if (keyBytes == null || keyBytes.length != 32) {
            throw new IllegalArgumentException("the session-key encryption key must be 32 bytes");
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "AES");
        this.keyId = keyIdOf(keyBytes);
        this.random = random;
    }

    public String keyId() {
        return keyId;
    }

    public String seal(String secret, String associatedData) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION + ":" + keyId + ":" + UnpaddedBase64.encode(nonce) + ":" + UnpaddedBase64.encode(ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(String sealed, String associatedData) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":");
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new SessionKeyUnavailableException("stored session key has an unknown format");
        }
        if (!keyId.equals(parts[1])) {
            throw new SessionKeyUnavailableException("stored session key was sealed with key " + parts[1]
                    + ", but the configured key is " + keyId + " (rotated or shredded?)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, UnpaddedBase64.decode(parts[2])));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(UnpaddedBase64.decode(parts[3])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SessionKeyUnavailableException("stored session key failed authentication");
        }
    }

    static String keyIdOf(byte[] keyBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBytes);
            return UnpaddedBase64.encode(Arrays.copyOf(digest, 6)).replace('/', '_').replace('+', '-');
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored key cannot be opened: wrong or destroyed vault key, or a corrupted blob. */
    public static class SessionKeyUnavailableException extends RuntimeException {
        public SessionKeyUnavailableException(String message) {
            super(message);
        }
    }
}
