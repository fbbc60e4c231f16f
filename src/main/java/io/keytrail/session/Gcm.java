package io.keytrail.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.session.SessionKeyVault.SessionKeyUnavailableException;

/** AES-256-GCM with a random 96-bit nonce and associated data; the text form is {@code <nonce b64>:<ct+tag b64>}. */
final class Gcm {
    /**
     * One cipher object per thread, initialised afresh for every operation: {@code Cipher.getInstance}
     * looks up the provider on each call (7% of the batch write path, issue 13). Every {@code init} sets
     * the key and a new random nonce, so nothing of one operation carries over to the next.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    private Gcm() {
    }

    static String seal(SecretKeySpec key, byte[] plaintext, String associatedData, SecureRandom random) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher cipher = CIPHER.get();
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            } catch (InvalidAlgorithmParameterException sameKeyAndNonceAsLastTime) {
                // A cipher object refuses the key and nonce of its previous encryption. Only a repeating
                // random source gets here (the deterministic golden-event fixtures); a fresh cipher seals
                // exactly as before this cache existed.
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            }
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return UnpaddedBase64.encode(nonce) + ":" + UnpaddedBase64.encode(cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens {@code nonce} + {@code ciphertext}; a wrong key, wrong associated data or altered bytes fail. */
    static byte[] open(SecretKeySpec key, String nonce, String ciphertext, String associatedData, String what) {
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, UnpaddedBase64.decode(nonce)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(UnpaddedBase64.decode(ciphertext));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SessionKeyUnavailableException(what + " failed authentication");
        }
    }
}
