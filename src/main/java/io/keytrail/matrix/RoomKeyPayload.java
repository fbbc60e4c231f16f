package io.keytrail.matrix;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A validated Olm-decrypted {@code m.room_key} payload (spec m.room_key; design section 3 steps 1-2).
 *
 * <p>This is the only authenticated way a session arrives: the Olm layer vouches for
 * {@code olmSenderKey}, and {@code claimedEd25519} sits inside the encrypted payload. Whether the
 * session key itself is well formed and matches {@code sessionId} is checked by the Megolm code,
 * which owns that format; here it is an opaque string.
 *
 * @param sender           the sender user id (equal to the to-device sender)
 * @param olmSenderKey     the Olm session's curve25519 key
 * @param claimedEd25519   {@code keys.ed25519}
 * @param sessionId        {@code content.session_id}, checked to be an ed25519 key, in unpadded base64
 * @param sessionKey       {@code content.session_key}, secret, never printed
 * @param sharedHistory    any of {@code shared_history}, {@code m.shared_history},
 *                         {@code org.matrix.msc3061.shared_history} is {@code true}
 * @param senderDeviceKeys MSC4147 {@code sender_device_keys}, fully validated against this payload
 * @param plaintext        the whole payload as received (a copy)
 */
public record RoomKeyPayload(String sender, Curve25519PublicKey olmSenderKey, Ed25519PublicKey claimedEd25519,
                             String roomId, String sessionId, String sessionKey, boolean sharedHistory,
                             Optional<DeviceKeys> senderDeviceKeys, ObjectNode plaintext) {
    public static final String TYPE = "m.room_key";

    public RoomKeyPayload {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(olmSenderKey, "olmSenderKey");
        Objects.requireNonNull(claimedEd25519, "claimedEd25519");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(senderDeviceKeys, "senderDeviceKeys");
        plaintext = plaintext.deepCopy();
    }

    /**
     * Validates an Olm-decrypted payload.
     *
     * @param plaintext      the decrypted payload
     * @param toDeviceSender the {@code sender} of the to-device event that carried it
     * @param olmSenderKey   the curve25519 key of the Olm session that decrypted it
     * @param ownDevice      who we are, when known: then {@code recipient} and {@code recipient_keys} must name us
     * @throws PayloadRejectedException with the design-section-10 code of the first check that failed
     */
    public static RoomKeyPayload parse(JsonNode plaintext, String toDeviceSender, Curve25519PublicKey olmSenderKey,
                                       Optional<OwnDevice> ownDevice) {
        OlmPayload.Envelope envelope = OlmPayload.envelope(plaintext, TYPE, toDeviceSender, ownDevice);
        OlmPayload.MegolmContent content = OlmPayload.megolmContent(envelope.content());
        Optional<DeviceKeys> deviceKeys = OlmPayload.senderDeviceKeys(envelope, olmSenderKey);
        return new RoomKeyPayload(envelope.sender(), olmSenderKey, envelope.claimedEd25519(), content.roomId(),
                content.sessionId(), content.sessionKey(), content.sharedHistory(), deviceKeys, envelope.plaintext());
    }

    /** A copy of the whole payload (it holds the secret session key: do not log it). */
    @Override
    public ObjectNode plaintext() {
        return plaintext.deepCopy();
    }

    /** Never prints the session key or the plaintext. */
    @Override
    public String toString() {
        return "RoomKeyPayload[sender=" + sender + ", olmSenderKey=" + olmSenderKey + ", claimedEd25519=" + claimedEd25519
                + ", roomId=" + roomId + ", sessionId=" + sessionId + ", sharedHistory=" + sharedHistory
                + ", senderDeviceKeys=" + senderDeviceKeys.map(DeviceKeys::toString).orElse("none") + "]";
    }
}
