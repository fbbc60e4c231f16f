package io.keytrail.errors;

import io.keytrail.matrix.PayloadRejectedException;

/**
 * Every code an input can be refused with, in every interface (replay, HTTP, facade, CLI). The names
 * are the {@code "code"} strings of design section 10 and part of the output contract: never rename one.
 * Each code carries the HTTP status it is answered with, so the mapping lives in one place.
 */
public enum RefusalCode {
    /** Malformed or contradictory input. */
    INVALID_INPUT(400),
    /** The Olm payload is addressed to another user or device than ours. */
    RECIPIENT_MISMATCH(422),
    /** The plaintext {@code sender} differs from the to-device sender. */
    MISMATCHED_SENDER(422),
    /** {@code sender_device_keys} present but malformed, badly signed or contradicting the payload. */
    INVALID_SENDER_DEVICE_KEYS(422),
    /** The creator device's keys contradict the session's claims: an attack. */
    MISMATCHED_IDENTITY_KEYS(422),
    /** The session key is malformed, badly signed, or not the session it claims to be. */
    INVALID_SESSION_KEY(422),
    UNKNOWN_SESSION(404),
    UNKNOWN_MESSAGE_INDEX(422),
    BAD_MAC(422),
    BAD_SIGNATURE(422),
    /** Not a key export file (header, truncation, version). */
    INVALID_EXPORT(422),
    BAD_PASSPHRASE(422),
    /**
     * An {@code m.forwarded_room_key} not sent by one of our own devices that our own cross-signing
     * identity vouches for (our SSK signs it, our MSK signs the SSK): a stranger could otherwise hand
     * us a session that claims to be anyone's (issue 12; matrix-rust-sdk accepts forwards only from
     * our own verified devices). Nothing is stored.
     */
    FORWARD_NOT_FROM_OWN_DEVICE(422),
    /** The session was discarded (evidence of tampering); its keys and messages are refused. */
    SESSION_DISCARDED(410),
    /**
     * The session was forgotten on purpose (crypto-shredding, ADR 0012): its keys are destroyed, so its
     * messages and copies are refused for good. 410 Gone: it existed and is deliberately, permanently gone.
     */
    SESSION_FORGOTTEN(410),
    /** The policy refuses the sender's verification level; the refusal names that level. */
    SENDER_IDENTITY_NOT_TRUSTED(403),
    /** A bug, not bad input: the message says nothing about the internals. */
    INTERNAL_ERROR(500),
    /** An HTTP call without a valid {@code Authorization: Bearer} token (design 11). */
    UNAUTHORIZED(401),
    /** An HTTP call whose token lacks the right (an admin operation with the user token). */
    FORBIDDEN(403),
    /** A request body or batch over its limit ({@code keytrail.limits.*}): refused before the work. */
    TOO_LARGE(413),
    /** Not processed now (the service is stopping, or too many large bodies at once): send it again later. */
    UNAVAILABLE(503);

    private final int httpStatus;

    RefusalCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status this refusal is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code of a payload refused by Matrix validation (design 3, steps 1-2). */
    public static RefusalCode of(PayloadRejectedException.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> INVALID_INPUT;
            case MISMATCHED_SENDER -> MISMATCHED_SENDER;
            case RECIPIENT_MISMATCH -> RECIPIENT_MISMATCH;
            case INVALID_SENDER_DEVICE_KEYS -> INVALID_SENDER_DEVICE_KEYS;
        };
    }
}
