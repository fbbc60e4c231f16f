package io.keytrail.trust;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * matrix-rust-sdk's JSON for {@link SenderData} (reference section 1.2): writes the current format,
 * reads it plus every legacy form upstream still reads.
 *
 * <p>Written: {@code {"UnknownDevice":{"legacy_session":b[,"owner_check_failed":true]}}},
 * {@code {"DeviceInfo":{"device_keys":{...},"legacy_session":b}}} and
 * {@code {"<Variant>":{"user_id":..,"device_id":..|null,"master_key":"<unpadded base64>"}}}.
 *
 * <p>Also read, so that data written by any matrix-rust-sdk version loads (reference 7.13):
 * unknown extra fields (old {@code retry_details}, {@code master_key_verified} on the new variants);
 * missing {@code owner_check_failed}/{@code legacy_session} (false); missing {@code device_id} (null);
 * {@code master_key} as an array of 32 integers or as binary; the old variant
 * {@code SenderKnown{..,master_key_verified}}; the alias {@code SenderUnverifiedButPreviouslyVerified}.
 */
public final class SenderDataJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SenderDataJson() {
    }

    /** The externally tagged JSON, e.g. {@code {"UnknownDevice":{"legacy_session":true}}}. */
    public static ObjectNode write(SenderData senderData) {
        ObjectNode body = NODES.objectNode();
        if (senderData instanceof SenderData.UnknownDevice u) {
            body.put("legacy_session", u.legacySession());
            if (u.ownerCheckFailed()) {
                body.put("owner_check_failed", true);
            }
        } else if (senderData instanceof SenderData.DeviceInfo d) {
            body.set("device_keys", d.deviceKeys());
            body.put("legacy_session", d.legacySession());
        } else {
            KnownSenderData known = knownOf(senderData);
            body.put("user_id", known.userId());
            if (known.deviceId() == null) {
                body.putNull("device_id");
            } else {
                body.put("device_id", known.deviceId());
            }
            body.put("master_key", known.masterKey().toBase64());
        }
        ObjectNode tagged = NODES.objectNode();
        tagged.set(variantName(senderData), body);
        return tagged;
    }

    /** Reads current and legacy forms; throws {@link IllegalArgumentException} with a clear message. */
    public static SenderData read(JsonNode json) {
        if (json == null || !json.isObject() || json.size() != 1) {
            throw new IllegalArgumentException("sender_data must be a JSON object with exactly one variant "
                    + "name as its key (e.g. {\"UnknownDevice\":{...}}), got: " + abbreviate(json));
        }
        Map.Entry<String, JsonNode> entry = json.fields().next();
        String variant = entry.getKey();
        JsonNode body = entry.getValue();
        if (!body.isObject()) {
            throw new IllegalArgumentException("sender_data " + variant + ": the variant's value must be a "
                    + "JSON object, got: " + abbreviate(body));
        }
        switch (variant) {
            case "UnknownDevice":
                return new SenderData.UnknownDevice(optionalBoolean(body, variant, "legacy_session"),
                        optionalBoolean(body, variant, "owner_check_failed"));
            case "DeviceInfo":
                return new SenderData.DeviceInfo(deviceKeys(body, variant),
                        optionalBoolean(body, variant, "legacy_session"));
            case "VerificationViolation":
            case "SenderUnverifiedButPreviouslyVerified":
                return new SenderData.VerificationViolation(known(body, variant));
            case "SenderUnverified":
                return new SenderData.SenderUnverified(known(body, variant));
            case "SenderVerified":
                return new SenderData.SenderVerified(known(body, variant));
            case "SenderKnown":
                // Pre-#3877 form: one variant with a verified flag instead of three variants.
                JsonNode verified = body.get("master_key_verified");
                if (verified == null || !verified.isBoolean()) {
                    throw new IllegalArgumentException("sender_data SenderKnown: master_key_verified must be a "
                            + "boolean, got: " + abbreviate(verified));
                }
                KnownSenderData known = known(body, variant);
                return verified.booleanValue() ? new SenderData.SenderVerified(known)
                        : new SenderData.SenderUnverified(known);
            default:
                throw new IllegalArgumentException("sender_data: unknown variant \"" + variant + "\" (expected "
                        + "UnknownDevice, DeviceInfo, VerificationViolation, SenderUnverified or SenderVerified)");
        }
    }

    /**
     * Reads a stored session's {@code sender_data}; absent or null means a session stored before sender
     * data existed, which upstream (and we) read as {@link SenderData#legacy()} (reference 1.1).
     */
    public static SenderData readOrLegacy(JsonNode jsonOrNull) {
        if (jsonOrNull == null || jsonOrNull.isNull() || jsonOrNull.isMissingNode()) {
            return SenderData.legacy();
        }
        return read(jsonOrNull);
    }

    /** The variant name as written, e.g. {@code "SenderUnverified"}. */
    public static String variantName(SenderData senderData) {
        if (senderData instanceof SenderData.UnknownDevice) {
            return "UnknownDevice";
        } else if (senderData instanceof SenderData.DeviceInfo) {
            return "DeviceInfo";
        } else if (senderData instanceof SenderData.VerificationViolation) {
            return "VerificationViolation";
        } else if (senderData instanceof SenderData.SenderUnverified) {
            return "SenderUnverified";
        }
        return "SenderVerified";
    }

    private static KnownSenderData knownOf(SenderData senderData) {
        return senderData.signer()
                .orElseThrow(() -> new IllegalStateException("no KnownSenderData in " + senderData));
    }

    private static boolean optionalBoolean(JsonNode body, String variant, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("sender_data " + variant + ": " + field + " must be a boolean, got: "
                    + abbreviate(value));
        }
        return value.booleanValue();
    }

    /**
     * The fields serde requires of a spec DeviceKeys. Deliberately not {@code DeviceKeys.parse}: stored
     * state is read as recorded (upstream's own snapshot has a key id naming another device and no
     * curve25519 key), and signatures are the auditor's business, not the reader's.
     */
    private static ObjectNode deviceKeys(JsonNode body, String variant) {
        JsonNode keys = body.get("device_keys");
        if (keys == null || !keys.isObject()) {
            throw new IllegalArgumentException("sender_data " + variant + ": device_keys must be a JSON object, got: "
                    + abbreviate(keys));
        }
        requireText(keys, variant, "device_keys.", "user_id");
        requireText(keys, variant, "device_keys.", "device_id");
        for (String field : new String[] {"keys", "signatures"}) {
            if (!keys.path(field).isObject()) {
                throw new IllegalArgumentException("sender_data " + variant + ": device_keys." + field
                        + " must be a JSON object");
            }
        }
        if (!keys.path("algorithms").isArray()) {
            throw new IllegalArgumentException("sender_data " + variant + ": device_keys.algorithms must be an array");
        }
        return (ObjectNode) keys;
    }

    private static KnownSenderData known(JsonNode body, String variant) {
        String userId = requireText(body, variant, "", "user_id");
        if (!userId.startsWith("@") || !userId.contains(":")) {
            throw new IllegalArgumentException("sender_data " + variant + ": user_id \"" + userId
                    + "\" is not a Matrix user id (@localpart:server)");
        }
        JsonNode deviceId = body.get("device_id");
        if (deviceId != null && !deviceId.isNull() && !deviceId.isTextual()) {
            throw new IllegalArgumentException("sender_data " + variant + ": device_id must be a string or null, got: "
                    + abbreviate(deviceId));
        }
        String device = deviceId == null || deviceId.isNull() ? null : deviceId.textValue();
        return new KnownSenderData(userId, device, masterKey(body.get("master_key"), variant));
    }

    private static Ed25519PublicKey masterKey(JsonNode value, String variant) {
        String where = "sender_data " + variant + ": master_key";
        try {
            if (value != null && value.isTextual()) {
                return Ed25519PublicKey.parse(value.textValue());
            }
            if (value != null && value.isBinary()) {
                return Ed25519PublicKey.fromBytes(value.binaryValue());
            }
            if (value != null && value.isArray()) {
                // Before 5ff556f6c upstream wrote the key as a JSON array of its 32 bytes.
                byte[] bytes = new byte[value.size()];
                Iterator<JsonNode> elements = value.elements();
                for (int i = 0; elements.hasNext(); i++) {
                    JsonNode b = elements.next();
                    if (!b.canConvertToInt() || !b.isIntegralNumber() || b.intValue() < 0 || b.intValue() > 255) {
                        throw new IllegalArgumentException(where + ": array element " + i + " is not a byte (0-255): "
                                + b);
                    }
                    bytes[i] = (byte) b.intValue();
                }
                return Ed25519PublicKey.fromBytes(bytes);
            }
        } catch (CryptoInputException | IOException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(where + " must be unpadded base64 or an array of 32 bytes, got: "
                + abbreviate(value));
    }

    private static String requireText(JsonNode node, String variant, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("sender_data " + variant + ": " + prefix + field
                    + " must be a string, got: " + abbreviate(value));
        }
        return value.textValue();
    }

    private static String abbreviate(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    public static final class Serializer extends TreeCodec.Writer<SenderData> {
        public Serializer() {
            super(SenderData.class, SenderDataJson::write);
        }
    }

    public static final class Deserializer extends TreeCodec.Reader<SenderData> {
        public Deserializer() {
            super(SenderData.class, SenderDataJson::read);
        }
    }
}
