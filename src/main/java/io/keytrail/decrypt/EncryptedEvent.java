package io.keytrail.decrypt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.megolm.DecryptedMessage;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmException;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.Bounds;

/**
 * An {@code m.room.encrypted} Megolm event checked at the edge (design section 7): the room it arrived
 * in, its sender, its event id (absent: decrypted without being remembered), its session id and
 * ciphertext. Also the per-event steps that need no store: Megolm decryption and reading the plaintext.
 */
record EncryptedEvent(String roomId, String sender, String eventId, String sessionId, String ciphertext) {
    private static final String MEGOLM = "m.megolm.v1.aes-sha2";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Checks the event as it arrived in {@code roomId}; a refusal names the first thing wrong. */
    static EncryptedEvent parse(String roomId, JsonNode event) {
        if (roomId == null || roomId.isEmpty()) {
            throw RefusalException.invalidInput("decrypt needs the room_id the event arrived in");
        }
        requireIdSized(roomId, "room_id");
        if (event == null || !event.isObject()) {
            throw RefusalException.invalidInput("event must be an m.room.encrypted event object");
        }
        if (event.has("type") && !"m.room.encrypted".equals(event.path("type").textValue())) {
            throw RefusalException.invalidInput("event type is " + Bounds.shorten(event.path("type").toString())
                    + ", not m.room.encrypted");
        }
        if (event.has("room_id") && !roomId.equals(event.path("room_id").textValue())) {
            throw RefusalException.invalidInput("the event's room_id " + Bounds.shorten(event.path("room_id").toString())
                    + " differs from the room it arrived in (" + roomId + ")");
        }
        String sender = requireIdSized(requiredText(event, "sender", "event.sender"), "event.sender");
        String eventId = event.has("event_id")
                ? requireIdSized(requiredText(event, "event_id", "event.event_id"), "event.event_id") : null;
        JsonNode content = event.path("content");
        if (!MEGOLM.equals(content.path("algorithm").textValue())) {
            throw RefusalException.invalidInput("content.algorithm must be " + MEGOLM);
        }
        String sessionId = requireIdSized(requiredText(content, "session_id", "content.session_id"), "content.session_id");
        String ciphertext = requiredText(content, "ciphertext", "content.ciphertext");
        return new EncryptedEvent(roomId, sender, eventId, sessionId, ciphertext);
    }

    /** The session's key in a batch: events of one (room, session) share one row read and one opened session. */
    String sessionKey() {
        return sessionId + "|" + roomId;
    }

    /**
     * Decrypts and authenticates with {@code session}, then reads the payload; a payload that names another
     * room than the one the event arrived in is refused (a message replayed into another room).
     */
    Plain decryptWith(InboundGroupSession.Cursor session) {
        DecryptedMessage message = decryptOrFail(session, ciphertext);
        ObjectNode plaintext = plaintextOf(message);
        if (plaintext.has("room_id") && !roomId.equals(plaintext.path("room_id").textValue())) {
            throw RefusalException.invalidInput("the decrypted payload names room "
                    + Bounds.shorten(plaintext.path("room_id").toString()) + ", but the event arrived in " + roomId
                    + " (replayed into another room?)");
        }
        return new Plain(message.messageIndex(), plaintext);
    }

    /** A decrypted event's Megolm message index and payload. */
    record Plain(long messageIndex, ObjectNode plaintext) {
    }

    private static DecryptedMessage decryptOrFail(InboundGroupSession.Cursor session, String ciphertext) {
        try {
            return session.decrypt(ciphertext);
        } catch (MegolmException e) {
            RefusalCode code = switch (e.reason()) {
                case UNKNOWN_MESSAGE_INDEX -> RefusalCode.UNKNOWN_MESSAGE_INDEX;
                case BAD_MAC -> RefusalCode.BAD_MAC;
                case BAD_SIGNATURE -> RefusalCode.BAD_SIGNATURE;
                default -> RefusalCode.INVALID_INPUT;
            };
            throw new RefusalException(code, e.getMessage());
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput("content.ciphertext: " + e.getMessage());
        }
    }

    private static ObjectNode plaintextOf(DecryptedMessage message) {
        try {
            JsonNode node = MAPPER.readTree(message.utf8());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException | MegolmException e) {
            throw RefusalException.invalidInput("the decrypted payload is not a JSON object: " + e.getMessage());
        }
        throw RefusalException.invalidInput("the decrypted payload is not a JSON object");
    }

    private static String requiredText(JsonNode node, String field, String name) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw RefusalException.invalidInput(name + " is required and must be a string");
        }
        return value.textValue();
    }

    /** Room, user, event and device ids are at most 255 bytes (design section 11); checked before any lookup or message uses them. */
    private static String requireIdSized(String value, String name) {
        if (!Bounds.isIdSized(value)) {
            throw RefusalException.invalidInput(name + " is longer than " + Bounds.MAX_ID_BYTES + " bytes, the Matrix limit for ids");
        }
        return value;
    }
}
