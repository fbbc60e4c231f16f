package io.keytrail.crypto.megolm;

import io.keytrail.crypto.CryptoInputException;

/**
 * A Megolm session key, message or operation that was refused. The {@link Reason} says why, so that
 * callers can switch on it (an unknown index is "ask for the key", a bad MAC is "this was tampered
 * with"); the message says it in words a user can act on. Never carries key material.
 */
public final class MegolmException extends CryptoInputException {

    /** Why a Megolm input was refused. */
    public enum Reason {
        /** A session key or export is not valid base64, has the wrong length, or holds an invalid key. */
        MALFORMED_SESSION_KEY,
        /** A session key, export or message starts with a version byte we do not implement. */
        UNSUPPORTED_VERSION,
        /** The Ed25519 signature embedded in a v2 session key does not verify with its embedded key. */
        BAD_SESSION_KEY_SIGNATURE,
        /** Ratchet bytes or counter supplied by code are out of range (not from the wire). */
        MALFORMED_RATCHET,
        /** A message is not valid base64, is truncated, or its protobuf payload cannot be decoded. */
        MALFORMED_MESSAGE,
        /** The message (or requested export) is older than the first index this session knows. */
        UNKNOWN_MESSAGE_INDEX,
        /** The truncated HMAC of the message does not match: tampered, or another session's message. */
        BAD_MAC,
        /** The message's Ed25519 signature does not verify with the session's signing key. */
        BAD_SIGNATURE,
        /** The message authenticated but its AES-CBC PKCS#7 padding is invalid: a broken sender. */
        BAD_PADDING,
        /** The decrypted plaintext is not valid UTF-8. */
        INVALID_UTF8
    }

    private final Reason reason;

    public MegolmException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MegolmException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MegolmException[" + reason + "]: " + getMessage();
    }
}
