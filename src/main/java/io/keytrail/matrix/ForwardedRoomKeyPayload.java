package io.keytrail.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A validated Olm-decrypted {@code m.forwarded_room_key} payload (spec m.forwarded_room_key).
 *
 * <p>The Olm layer authenticates only the <em>forwarder</em>. The creator fields
 * ({@code claimedSenderKey}, {@code claimedSenderEd25519}) are claims that nothing proves, which is
 * why a forwarded session is an import (legacy, design section 6) whatever they say.
 *
 * @param forwarder             the forwarding user (equal to the to-device sender)
 * @param forwarderCurve25519   the Olm session's curve25519 key (the forwarder's device)
 * @param forwarderEd25519      the forwarder's {@code keys.ed25519}
 * @param claimedSenderKey      {@code sender_key}: the creator's curve25519 key, as claimed
 * @param claimedSenderEd25519  {@code sender_claimed_ed25519_key}, as claimed
 * @param forwardingChain       {@code forwarding_curve25519_key_chain}, oldest first
 * @param sessionKey            {@code session_key} in export format, secret, never printed
 * @param forwarderDeviceKeys   the forwarder's MSC4147 {@code sender_device_keys}, validated, if sent
 */
public record ForwardedRoomKeyPayload(String forwarder, Curve25519PublicKey forwarderCurve25519,
                                      Ed25519PublicKey forwarderEd25519, String roomId, String sessionId,
                                      String sessionKey, Curve25519PublicKey claimedSenderKey,
                                      Ed25519PublicKey claimedSenderEd25519, List<Curve25519PublicKey> forwardingChain,
                                      boolean sharedHistory, Optional<DeviceKeys> forwarderDeviceKeys,
                                      ObjectNode plaintext) {
    public static final String TYPE = "m.forwarded_room_key";

    public ForwardedRoomKeyPayload {
        Objects.requireNonNull(forwarder, "forwarder");
        Objects.requireNonNull(forwarderCurve25519, "forwarderCurve25519");
        Objects.requireNonNull(forwarderEd25519, "forwarderEd25519");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(claimedSenderKey, "claimedSenderKey");
        Objects.requireNonNull(claimedSenderEd25519, "claimedSenderEd25519");
        Objects.requireNonNull(forwarderDeviceKeys, "forwarderDeviceKeys");
        forwardingChain = List.copyOf(forwardingChain);
        plaintext = plaintext.deepCopy();
    }

    /**
     * Validates an Olm-decrypted forwarded room key; same parameters and envelope checks as
     * {@link RoomKeyPayload#parse}.
     *
     * @throws PayloadRejectedException with the design-section-10 code of the first check that failed
     */
    public static ForwardedRoomKeyPayload parse(JsonNode plaintext, String toDeviceSender,
                                                Curve25519PublicKey olmSenderKey, Optional<OwnDevice> ownDevice) {
        OlmPayload.Envelope envelope = OlmPayload.envelope(plaintext, TYPE, toDeviceSender, ownDevice);
        ObjectNode content = envelope.content();
        OlmPayload.MegolmContent megolm = OlmPayload.megolmContent(content);
        Curve25519PublicKey senderKey = OlmPayload.invalidInput(() -> Fields.curve25519(content, "sender_key", "content"));
        Ed25519PublicKey senderEd25519 = OlmPayload.invalidInput(
                () -> Fields.ed25519(content, "sender_claimed_ed25519_key", "content"));
        List<Curve25519PublicKey> chain = OlmPayload.invalidInput(() -> chain(content));
        Optional<DeviceKeys> deviceKeys = OlmPayload.senderDeviceKeys(envelope, olmSenderKey);
        return new ForwardedRoomKeyPayload(envelope.sender(), olmSenderKey, envelope.claimedEd25519(), megolm.roomId(),
                megolm.sessionId(), megolm.sessionKey(), senderKey, senderEd25519, chain, megolm.sharedHistory(),
                deviceKeys, envelope.plaintext());
    }

    private static List<Curve25519PublicKey> chain(ObjectNode content) {
        String field = "content.forwarding_curve25519_key_chain";
        JsonNode node = Fields.required(content, "forwarding_curve25519_key_chain", "content");
        if (!node.isArray()) {
            throw new MatrixFormatException(field + " must be an array, got " + MatrixJson.describe(node));
        }
        List<Curve25519PublicKey> chain = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            if (!entry.isTextual()) {
                throw new MatrixFormatException(field + "[" + i + "] must be a string, got " + MatrixJson.describe(entry));
            }
            try {
                chain.add(Curve25519PublicKey.parse(entry.textValue()));
            } catch (CryptoInputException e) {
                throw new MatrixFormatException(field + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return chain;
    }

    /** A copy of the whole payload (it holds the secret session key: do not log it). */
    @Override
    public ObjectNode plaintext() {
        return plaintext.deepCopy();
    }

    /** Never prints the session key or the plaintext. */
    @Override
    public String toString() {
        return "ForwardedRoomKeyPayload[forwarder=" + forwarder + ", forwarderCurve25519=" + forwarderCurve25519
                + ", roomId=" + roomId + ", sessionId=" + sessionId + ", claimedSenderKey=" + claimedSenderKey
                + ", claimedSenderEd25519=" + claimedSenderEd25519 + ", forwardingChain=" + forwardingChain
                + ", sharedHistory=" + sharedHistory + "]";
    }
}
