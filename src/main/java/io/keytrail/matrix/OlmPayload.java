package io.keytrail.matrix;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.PayloadRejectedException.Reason;

/**
 * The checks every Olm-decrypted payload gets, whatever its type (spec "Validation of incoming
 * decrypted events"): type, sender, recipient, the claimed ed25519 key, and MSC4147
 * {@code sender_device_keys}. Shape failures are {@code INVALID_INPUT}.
 */
final class OlmPayload {
    static final String MEGOLM_V1 = "m.megolm.v1.aes-sha2";
    private static final String[] SHARED_HISTORY = {"shared_history", "m.shared_history", "org.matrix.msc3061.shared_history"};
    private static final String[] SENDER_DEVICE_KEYS = {"sender_device_keys", "org.matrix.msc4147.device_keys"};

    private OlmPayload() {
    }

    /** The fields every Megolm room-key content carries ({@code m.room_key}, {@code m.forwarded_room_key}). */
    record MegolmContent(String roomId, String sessionId, String sessionKey, boolean sharedHistory) {
    }

    /** Checks the algorithm and reads the common fields; the session id is normalised to unpadded base64. */
    static MegolmContent megolmContent(ObjectNode content) {
        megolmAlgorithm(content);
        String roomId = invalidInput(() -> Fields.id(content, "room_id", "content"));
        String sessionId = invalidInput(() -> Fields.ed25519(content, "session_id", "content")).toBase64();
        String sessionKey = invalidInput(() -> Fields.string(content, "session_key", "content"));
        return new MegolmContent(roomId, sessionId, sessionKey, sharedHistory(content));
    }

    /** The validated outer payload; {@code content} still needs its type-specific checks. */
    record Envelope(ObjectNode plaintext, String sender, Ed25519PublicKey claimedEd25519, ObjectNode content) {
    }

    static Envelope envelope(JsonNode plaintext, String expectedType, String toDeviceSender, Optional<OwnDevice> ownDevice) {
        Objects.requireNonNull(toDeviceSender, "toDeviceSender");
        Objects.requireNonNull(ownDevice, "ownDevice");
        ObjectNode payload = invalidInput(() -> Fields.object(plaintext, "Olm payload")).deepCopy();
        String type = invalidInput(() -> Fields.string(payload, "type", "Olm payload"));
        if (!type.equals(expectedType)) {
            throw new PayloadRejectedException(Reason.INVALID_INPUT, "Olm payload type is " + Bounds.shorten(type)
                    + ", expected " + expectedType);
        }
        String sender = invalidInput(() -> Fields.id(payload, "sender", "Olm payload"));
        // Step 1: the Olm layer authenticated the to-device sender; a payload claiming another user
        // inside is an attempt to speak for someone else.
        if (!sender.equals(toDeviceSender)) {
            throw new PayloadRejectedException(Reason.MISMATCHED_SENDER, "Olm payload sender " + sender
                    + " differs from the to-device sender " + Bounds.shorten(toDeviceSender));
        }
        String recipient = invalidInput(() -> Fields.id(payload, "recipient", "Olm payload"));
        Ed25519PublicKey recipientEd25519 = invalidInput(() -> Fields.ed25519(
                Fields.object(payload, "recipient_keys", "Olm payload"), "ed25519", "Olm payload.recipient_keys"));
        Ed25519PublicKey claimed = invalidInput(() -> Fields.ed25519(
                Fields.object(payload, "keys", "Olm payload"), "ed25519", "Olm payload.keys"));
        ObjectNode content = invalidInput(() -> Fields.object(payload, "content", "Olm payload"));
        // Steps 3-4: a payload addressed to someone else is being replayed to us.
        ownDevice.ifPresent(own -> {
            if (!recipient.equals(own.userId())) {
                throw new PayloadRejectedException(Reason.RECIPIENT_MISMATCH, "Olm payload recipient " + recipient
                        + " is not our user " + own.userId());
            }
            if (!recipientEd25519.equals(own.ed25519())) {
                throw new PayloadRejectedException(Reason.RECIPIENT_MISMATCH, "Olm payload recipient_keys.ed25519 "
                        + recipientEd25519 + " is not our device key " + own.ed25519());
            }
        });
        return new Envelope(payload, sender, claimed, content);
    }

    /**
     * MSC4147 {@code sender_device_keys} (or its unstable name). When present it must be fully valid
     * (spec step 5), or the whole payload is refused: half-valid keys would let a forger attach
     * somebody else's cross-signed device to its own Olm session.
     */
    static Optional<DeviceKeys> senderDeviceKeys(Envelope envelope, Curve25519PublicKey olmSenderKey) {
        Objects.requireNonNull(olmSenderKey, "olmSenderKey");
        JsonNode stable = present(envelope.plaintext(), SENDER_DEVICE_KEYS[0]);
        JsonNode unstable = present(envelope.plaintext(), SENDER_DEVICE_KEYS[1]);
        if (stable != null && unstable != null && !stable.equals(unstable)) {
            throw rejectKeys("both sender_device_keys and " + SENDER_DEVICE_KEYS[1] + " are present and they differ");
        }
        JsonNode json = stable != null ? stable : unstable;
        if (json == null) {
            return Optional.empty();
        }
        DeviceKeys keys;
        try {
            keys = DeviceKeys.parse(json);
        } catch (MatrixFormatException e) {
            throw new PayloadRejectedException(Reason.INVALID_SENDER_DEVICE_KEYS, "sender_device_keys: " + e.getMessage(), e);
        }
        SignatureCheck self = keys.selfSignature();
        if (self != SignatureCheck.VALID) {
            throw rejectKeys("sender_device_keys self-signature ed25519:" + keys.deviceId() + " is "
                    + (self == SignatureCheck.ABSENT ? "missing" : "invalid"));
        }
        if (!keys.userId().equals(envelope.sender())) {
            throw rejectKeys("sender_device_keys user_id " + keys.userId() + " is not the sender " + envelope.sender());
        }
        if (!keys.curve25519().equals(olmSenderKey)) {
            throw rejectKeys("sender_device_keys curve25519 " + keys.curve25519() + " is not the Olm sender key " + olmSenderKey);
        }
        if (!keys.ed25519().equals(envelope.claimedEd25519())) {
            throw rejectKeys("sender_device_keys ed25519 " + keys.ed25519() + " is not the claimed keys.ed25519 "
                    + envelope.claimedEd25519());
        }
        return Optional.of(keys);
    }

    /** Shareable only when one of the three spellings is JSON {@code true} (spec: anything else means no). */
    static boolean sharedHistory(ObjectNode content) {
        for (String name : SHARED_HISTORY) {
            if (content.path(name).isBoolean() && content.get(name).booleanValue()) {
                return true;
            }
        }
        return false;
    }

    /** Checks {@code algorithm} and reads the fields every room-key content has. */
    static String megolmAlgorithm(ObjectNode content) {
        String algorithm = invalidInput(() -> Fields.string(content, "algorithm", "content"));
        if (!algorithm.equals(MEGOLM_V1)) {
            throw new PayloadRejectedException(Reason.INVALID_INPUT, "content.algorithm is " + Bounds.shorten(algorithm)
                    + ", expected " + MEGOLM_V1);
        }
        return algorithm;
    }

    /** Runs a shape check, turning its format error into an {@code INVALID_INPUT} rejection. */
    static <T> T invalidInput(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (MatrixFormatException e) {
            throw new PayloadRejectedException(Reason.INVALID_INPUT, e.getMessage(), e);
        }
    }

    private static JsonNode present(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static PayloadRejectedException rejectKeys(String message) {
        return new PayloadRejectedException(Reason.INVALID_SENDER_DEVICE_KEYS, message);
    }
}
