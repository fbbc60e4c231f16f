package io.keytrail.crypto.backup;

import io.keytrail.crypto.CryptoInputException;

/** A recovery key or backup private key that cannot be used; {@link #reason()} says why. */
public class InvalidBackupKeyException extends CryptoInputException {

    public enum Reason {
        /** A character outside the base58 alphabet (recovery key) or base64 alphabet (private key). */
        INVALID_CHARACTER,
        /** Too few or too many characters, so the key does not decode to the expected number of bytes. */
        WRONG_LENGTH,
        /** The recovery key does not start with the bytes 0x8B 0x01: not a recovery key, or mistyped. */
        WRONG_PREFIX,
        /** The parity byte does not match: most likely one character was mistyped. */
        BAD_PARITY,
        /** A well-formed key that does not belong to the backup it is used with. */
        WRONG_KEY
    }

    private final Reason reason;

    public InvalidBackupKeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidBackupKeyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
