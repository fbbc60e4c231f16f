package io.keytrail.matrix;

import java.util.Objects;

/**
 * An Olm-decrypted to-device payload that must be refused (design section 3 steps 1-2; spec
 * "Validation of incoming decrypted events"). Nothing from it may be stored. {@link #code()} is the
 * error code of the replay output (design section 10).
 */
public class PayloadRejectedException extends RuntimeException {

    /** The error codes of design section 10 that payload validation can produce. */
    public enum Reason {
        /** Wrong {@code type} or algorithm, missing or mistyped field, bad base64 or key length. */
        INVALID_INPUT,
        /** The plaintext {@code sender} differs from the to-device event's sender. */
        MISMATCHED_SENDER,
        /** The payload is addressed to another user or device than ours. */
        RECIPIENT_MISMATCH,
        /** {@code sender_device_keys} is present but malformed, badly signed, or contradicts the payload. */
        INVALID_SENDER_DEVICE_KEYS
    }

    private final Reason reason;

    public PayloadRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public PayloadRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The error code as written in the replay output, e.g. {@code "MISMATCHED_SENDER"}. */
    public String code() {
        return reason.name();
    }
}
