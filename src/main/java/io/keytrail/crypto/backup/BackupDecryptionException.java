package io.keytrail.crypto.backup;

/** One backed-up session that could not be decrypted; {@link #reason()} says why. */
public class BackupDecryptionException extends RuntimeException {

    public enum Reason {
        /** {@code session_data} lacks a field, or a field is not base64 of the right length. */
        MALFORMED_SESSION_DATA,
        /** The MAC does not match: the session was encrypted for another backup key. */
        BAD_MAC,
        /** The ciphertext does not decrypt (bad padding, or an unusable ephemeral key). */
        DECRYPTION_FAILED,
        /** It decrypted, but the plaintext is not UTF-8 text. */
        INVALID_UTF8
    }

    private final Reason reason;

    public BackupDecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BackupDecryptionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
