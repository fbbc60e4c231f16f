package io.keytrail.crypto.backup;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.InvalidBackupKeyException.Reason;

/**
 * The Curve25519 private key of an {@code m.megolm_backup.v1.curve25519-aes-sha2} key backup.
 *
 * <p>Users hold it as a "recovery key" (spec appendices, "Cryptographic key representation"):
 * base58 of {@code 0x8B 0x01 | key[32] | parity}, where parity is the XOR of all the bytes before
 * it, written in groups of four characters. Clients also store it as base64 (js-sdk writes it
 * padded). {@link #toString()} never shows the private key.
 */
public final class BackupDecryptionKey {
    public static final int LENGTH = 32;
    /** A recovery key (35 bytes) is 48 base58 characters; leading zero bytes could add a few more, never 16. */
    static final int MAX_RECOVERY_KEY_CHARS = 64;
    private static final byte[] PREFIX = {(byte) 0x8B, 0x01};
    private static final int RECOVERY_KEY_BYTES = PREFIX.length + LENGTH + 1;

    private final byte[] privateKey;

    private BackupDecryptionKey(byte[] privateKey) {
        this.privateKey = privateKey;
    }

    public static BackupDecryptionKey fromBytes(byte[] privateKey) {
        if (privateKey == null || privateKey.length != LENGTH) {
            throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "a backup private key must be " + LENGTH
                    + " bytes, got " + (privateKey == null ? "none" : privateKey.length));
        }
        return new BackupDecryptionKey(privateKey.clone());
    }

    /** A fresh random key, for creating a backup (and for tests). */
    public static BackupDecryptionKey generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new BackupDecryptionKey(bytes);
    }

    /**
     * Reads what a user or a client supplies: a recovery key (48 base58 characters, spaces allowed)
     * or a base64 private key (43 characters, or 44 with padding). The two never have the same length.
     */
    public static BackupDecryptionKey parse(String text) {
        if (text == null) {
            throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "no backup key was given");
        }
        String stripped = text.strip();
        boolean grouped = stripped.chars().anyMatch(Character::isWhitespace);
        boolean base64Length = stripped.length() == 43 || stripped.length() == 44;
        return base64Length && !grouped ? fromBase64(stripped) : fromRecoveryKey(text);
    }

    public static BackupDecryptionKey fromBase64(String base64) {
        byte[] bytes;
        try {
            bytes = UnpaddedBase64.decode(base64 == null ? null : base64.strip());
        } catch (CryptoInputException e) {
            throw new InvalidBackupKeyException(Reason.INVALID_CHARACTER,
                    "the backup private key is not valid base64: " + e.getMessage(), e);
        }
        if (bytes.length != LENGTH) {
            throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "the backup private key decodes to "
                    + bytes.length + " bytes, but it must be " + LENGTH);
        }
        return new BackupDecryptionKey(bytes);
    }

    /** Reads a recovery key such as {@code EsTc LW2K ... UE4d}; any whitespace between characters is ignored. */
    public static BackupDecryptionKey fromRecoveryKey(String recoveryKey) {
        if (recoveryKey == null) {
            throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "no recovery key was given");
        }
        StringBuilder compact = new StringBuilder();
        for (int i = 0; i < recoveryKey.length(); i++) {
            char c = recoveryKey.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (Base58.digitOf(c) < 0) {
                throw new InvalidBackupKeyException(Reason.INVALID_CHARACTER, "the recovery key contains '" + c
                        + "' at position " + (i + 1) + " (counting from 1, spaces included), which never appears in recovery keys"
                        + " (they have no 0, O, I or l, and no punctuation)");
            }
            compact.append(c);
            // Base58 decoding is quadratic in the length: stop a long paste before decoding it.
            if (compact.length() > MAX_RECOVERY_KEY_CHARS) {
                throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "the recovery key has more than "
                        + MAX_RECOVERY_KEY_CHARS + " characters (not counting spaces), which is too many: recovery keys"
                        + " have 48");
            }
        }
        byte[] bytes = Base58.decode(compact.toString());
        if (bytes.length != RECOVERY_KEY_BYTES) {
            throw new InvalidBackupKeyException(Reason.WRONG_LENGTH, "the recovery key has " + compact.length()
                    + " characters (not counting spaces), which is " + (bytes.length < RECOVERY_KEY_BYTES ? "too few" : "too many")
                    + ": check that it was copied completely");
        }
        if (bytes[0] != PREFIX[0] || bytes[1] != PREFIX[1]) {
            throw new InvalidBackupKeyException(Reason.WRONG_PREFIX, "this is not a Matrix recovery key"
                    + " (it does not start with the recovery-key marker); check the first characters");
        }
        if (parity(bytes, RECOVERY_KEY_BYTES - 1) != bytes[RECOVERY_KEY_BYTES - 1]) {
            throw new InvalidBackupKeyException(Reason.BAD_PARITY, "the recovery key's check digit does not"
                    + " match: a character is probably mistyped");
        }
        return new BackupDecryptionKey(Arrays.copyOfRange(bytes, PREFIX.length, PREFIX.length + LENGTH));
    }

    /** The recovery-key text, in groups of four characters separated by single spaces. */
    public String toRecoveryKey() {
        byte[] bytes = new byte[RECOVERY_KEY_BYTES];
        System.arraycopy(PREFIX, 0, bytes, 0, PREFIX.length);
        System.arraycopy(privateKey, 0, bytes, PREFIX.length, LENGTH);
        bytes[RECOVERY_KEY_BYTES - 1] = parity(bytes, RECOVERY_KEY_BYTES - 1);
        String base58 = Base58.encode(bytes);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base58.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(base58, i, Math.min(base58.length(), i + 4));
        }
        return out.toString();
    }

    /** Unpadded base64 of the private key. */
    public String toBase64() {
        return UnpaddedBase64.encode(privateKey);
    }

    /** The backup's public key, as published in the backup version's {@code auth_data.public_key}. */
    public Curve25519PublicKey publicKey() {
        return Curve25519PublicKey.fromBytes(new X25519PrivateKeyParameters(privateKey).generatePublicKey().getEncoded());
    }

    /** True iff this key decrypts the backup whose {@code auth_data.public_key} is {@code authDataPublicKey}. */
    public boolean matches(Curve25519PublicKey authDataPublicKey) {
        return MessageDigest.isEqual(publicKey().toBytes(), authDataPublicKey.toBytes());
    }

    /**
     * Rejects a key that does not belong to the backup, before any session is tried: with a wrong key
     * every session would only fail with BAD_MAC, which tells the user much less.
     */
    public void requireMatches(Curve25519PublicKey authDataPublicKey) {
        if (!matches(authDataPublicKey)) {
            throw new InvalidBackupKeyException(Reason.WRONG_KEY, "this recovery key belongs to a different"
                    + " key backup (its public key is " + publicKey() + ", the backup's is " + authDataPublicKey + ")");
        }
    }

    byte[] privateKeyBytes() {
        return privateKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupDecryptionKey other && MessageDigest.isEqual(privateKey, other.privateKey);
    }

    @Override
    public int hashCode() {
        return publicKey().hashCode();
    }

    @Override
    public String toString() {
        return "BackupDecryptionKey[public " + publicKey() + "]";
    }

    private static byte parity(byte[] bytes, int length) {
        byte parity = 0;
        for (int i = 0; i < length; i++) {
            parity ^= bytes[i];
        }
        return parity;
    }
}
