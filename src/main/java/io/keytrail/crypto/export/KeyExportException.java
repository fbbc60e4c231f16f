package io.keytrail.crypto.export;

/**
 * A room-key export file that cannot be read (or a request to write one that makes no sense).
 * {@link #reason()} says which kind of problem it is, so that callers can map it to an error code;
 * the message is meant for the user.
 */
public class KeyExportException extends RuntimeException {

    public enum Reason {
        /** Not an export file: missing header or footer, bad base64, truncated or too short. */
        MALFORMED,
        /** The format version byte is not 0x01, the only version the spec defines. */
        UNSUPPORTED_VERSION,
        /** The PBKDF2 round count is 0 or so large that deriving the key would hang. */
        INVALID_ROUNDS,
        /** The MAC does not match: the passphrase is wrong, or the file was corrupted or altered. */
        BAD_PASSPHRASE,
        /** The file decrypted and authenticated, but its payload is not UTF-8 text. */
        INVALID_PAYLOAD
    }

    private final Reason reason;

    public KeyExportException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeyExportException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
