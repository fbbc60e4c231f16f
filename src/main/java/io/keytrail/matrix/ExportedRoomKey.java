package io.keytrail.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * One Megolm session as written in a key export file or restored from a key backup (spec:
 * {@code ExportedSessionData}, {@code BackedUpSessionData}).
 *
 * <p>{@code senderKey} and {@code senderClaimedEd25519} are <em>claims</em> by whoever wrote the
 * file or the backup entry; nothing here authenticates them (matrix-spec reference §10.7). The
 * {@code sessionKey} is kept as the export-format string; Megolm parsing happens elsewhere.
 *
 * @param raw the JSON as received, unknown fields included (a copy; accessors return copies too)
 */
public record ExportedRoomKey(
        String algorithm,
        String roomId,
        String sessionId,
        Curve25519PublicKey senderKey,
        Optional<Ed25519PublicKey> senderClaimedEd25519,
        List<Curve25519PublicKey> forwardingCurve25519KeyChain,
        String sessionKey,
        boolean sharedHistory,
        ObjectNode raw) {

    public static final String MEGOLM_V1 = "m.megolm.v1.aes-sha2";
    /** Spec name first, then the names older clients wrote (rust-sdk/js-sdk, MSC3061). */
    private static final List<String> SHARED_HISTORY_FIELDS =
            List.of("shared_history", "m.shared_history", "org.matrix.msc3061.shared_history");

    public ExportedRoomKey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(senderKey, "senderKey");
        Objects.requireNonNull(senderClaimedEd25519, "senderClaimedEd25519");
        forwardingCurve25519KeyChain = List.copyOf(forwardingCurve25519KeyChain);
        Objects.requireNonNull(sessionKey, "sessionKey");
        raw = raw.deepCopy();
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    /** One element of an export array: {@code room_id} and {@code session_id} are required. */
    public static ExportedRoomKey parse(JsonNode json) {
        ObjectNode object = requireObject(json);
        return fromFields(object, Bounds.id(requireText(object, "room_id"), "room_id"),
                Bounds.id(requireText(object, "session_id"), "session_id"));
    }

    /**
     * A decrypted backup entry, whose room and session ids come from the backup's map keys (the
     * {@code BackedUpSessionData} object does not carry them). Some clients (js-sdk) write them into
     * the plaintext anyway: accepted when equal, rejected when they contradict the map keys.
     */
    public static ExportedRoomKey parseBackedUp(JsonNode json, String roomId, String sessionId) {
        ObjectNode object = requireObject(json);
        Bounds.id(roomId, "room_id");
        Bounds.id(sessionId, "session_id");
        requireConsistent(object, "room_id", roomId);
        requireConsistent(object, "session_id", sessionId);
        return fromFields(object, roomId, sessionId);
    }

    /**
     * Parses an export payload element by element: a bad element is reported with its index and does
     * not stop the others. Throws only when {@code json} is not an array at all.
     */
    public static List<ArrayEntry> parseArray(JsonNode json) {
        if (json == null || !json.isArray()) {
            throw new MatrixFormatException("a key export must contain a JSON array of room keys, got "
                    + describe(json));
        }
        List<ArrayEntry> entries = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            JsonNode element = json.get(i);
            try {
                entries.add(new Parsed(i, parse(element)));
            } catch (MatrixFormatException e) {
                JsonNode sessionId = element.path("session_id");
                entries.add(new Rejected(i, Bounds.isIdSized(sessionId.textValue()) ? Optional.of(sessionId.asText()) : Optional.empty(),
                        e.getMessage()));
            }
        }
        return entries;
    }

    /** The export-file form of this key, with the spec's field names. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("algorithm", algorithm);
        out.put("room_id", roomId);
        out.put("session_id", sessionId);
        out.put("sender_key", senderKey.toBase64());
        ObjectNode claimed = out.putObject("sender_claimed_keys");
        senderClaimedEd25519.ifPresent(k -> claimed.put("ed25519", k.toBase64()));
        ArrayNode chain = out.putArray("forwarding_curve25519_key_chain");
        forwardingCurve25519KeyChain.forEach(k -> chain.add(k.toBase64()));
        out.put("session_key", sessionKey);
        out.put("shared_history", sharedHistory);
        return out;
    }

    /** A result of {@link #parseArray}: either the parsed key or why the element was rejected. */
    public sealed interface ArrayEntry permits Parsed, Rejected {
        /** Position of the element in the array, from 0. */
        int index();
    }

    public record Parsed(int index, ExportedRoomKey key) implements ArrayEntry {
    }

    /** @param sessionId the element's {@code session_id} when it has a readable one */
    public record Rejected(int index, Optional<String> sessionId, String reason) implements ArrayEntry {
    }

    private static ExportedRoomKey fromFields(ObjectNode json, String roomId, String sessionId) {
        String algorithm = requireText(json, "algorithm");
        if (!algorithm.equals(MEGOLM_V1)) {
            throw new MatrixFormatException("algorithm: unsupported room key algorithm '" + Bounds.shorten(algorithm)
                    + "' (only " + MEGOLM_V1 + " is supported)");
        }
        return new ExportedRoomKey(
                algorithm,
                roomId,
                sessionId,
                curveKey(requireText(json, "sender_key"), "sender_key"),
                claimedEd25519(json),
                forwardingChain(json),
                requireText(json, "session_key"),
                sharedHistory(json),
                json);
    }

    /** {@code sender_claimed_keys} may be missing or {@code {}} in real exports. */
    private static Optional<Ed25519PublicKey> claimedEd25519(ObjectNode json) {
        JsonNode claimed = json.get("sender_claimed_keys");
        if (claimed == null || claimed.isNull()) {
            return Optional.empty();
        }
        if (!claimed.isObject()) {
            throw new MatrixFormatException("sender_claimed_keys: must be an object, got " + describe(claimed));
        }
        JsonNode ed25519 = claimed.get("ed25519");
        if (ed25519 == null || ed25519.isNull()) {
            return Optional.empty();
        }
        if (!ed25519.isTextual()) {
            throw new MatrixFormatException("sender_claimed_keys.ed25519: must be a string, got " + describe(ed25519));
        }
        try {
            return Optional.of(Ed25519PublicKey.parse(ed25519.asText()));
        } catch (CryptoInputException e) {
            throw new MatrixFormatException("sender_claimed_keys.ed25519: " + e.getMessage(), e);
        }
    }

    private static List<Curve25519PublicKey> forwardingChain(ObjectNode json) {
        JsonNode chain = json.get("forwarding_curve25519_key_chain");
        if (chain == null || chain.isNull()) {
            return List.of();
        }
        if (!chain.isArray()) {
            throw new MatrixFormatException("forwarding_curve25519_key_chain: must be an array, got " + describe(chain));
        }
        List<Curve25519PublicKey> keys = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            String field = "forwarding_curve25519_key_chain[" + i + "]";
            if (!chain.get(i).isTextual()) {
                throw new MatrixFormatException(field + ": must be a string, got " + describe(chain.get(i)));
            }
            keys.add(curveKey(chain.get(i).asText(), field));
        }
        return keys;
    }

    private static boolean sharedHistory(ObjectNode json) {
        for (String field : SHARED_HISTORY_FIELDS) {
            JsonNode value = json.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isBoolean()) {
                    throw new MatrixFormatException(field + ": must be true or false, got " + describe(value));
                }
                return value.booleanValue();
            }
        }
        return false;
    }

    private static Curve25519PublicKey curveKey(String base64, String field) {
        try {
            return Curve25519PublicKey.parse(base64);
        } catch (CryptoInputException e) {
            throw new MatrixFormatException(field + ": " + e.getMessage(), e);
        }
    }

    private static void requireConsistent(ObjectNode json, String field, String expected) {
        JsonNode value = json.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && value.asText().equals(expected))) {
            throw new MatrixFormatException(field + ": the encrypted data says " + Bounds.shorten(value.toString())
                    + " but it is stored under '" + Bounds.shorten(expected) + "'");
        }
    }

    private static ObjectNode requireObject(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new MatrixFormatException("a room key must be a JSON object, got " + describe(json));
        }
        return (ObjectNode) json;
    }

    private static String requireText(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new MatrixFormatException(field + ": required field is missing");
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new MatrixFormatException(field + ": must be a non-empty string, got " + describe(value));
        }
        return value.asText();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.isContainerNode() ? "a JSON " + node.getNodeType().name().toLowerCase()
                : Bounds.shorten(node.toString());
    }
}
