package io.keytrail.errors;

/** The error codes of design section 10: part of the output contract, never renamed. */
public final class ErrorCodes {
    public static final String INVALID_INPUT = "INVALID_INPUT";
    public static final String RECIPIENT_MISMATCH = "RECIPIENT_MISMATCH";
    public static final String MISMATCHED_SENDER = "MISMATCHED_SENDER";
    public static final String INVALID_SENDER_DEVICE_KEYS = "INVALID_SENDER_DEVICE_KEYS";
    public static final String MISMATCHED_IDENTITY_KEYS = "MISMATCHED_IDENTITY_KEYS";
    public static final String INVALID_SESSION_KEY = "INVALID_SESSION_KEY";
    public static final String UNKNOWN_SESSION = "UNKNOWN_SESSION";
    public static final String UNKNOWN_MESSAGE_INDEX = "UNKNOWN_MESSAGE_INDEX";
    public static final String BAD_MAC = "BAD_MAC";
    public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
    public static final String INVALID_EXPORT = "INVALID_EXPORT";
    public static final String BAD_PASSPHRASE = "BAD_PASSPHRASE";
    public static final String SESSION_DISCARDED = "SESSION_DISCARDED";
    public static final String SENDER_IDENTITY_NOT_TRUSTED = "SENDER_IDENTITY_NOT_TRUSTED";

    private ErrorCodes() {
    }
}
