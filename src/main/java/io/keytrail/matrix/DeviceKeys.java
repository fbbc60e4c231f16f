package io.keytrail.matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A signed {@code DeviceKeys} object (spec: device_keys.yaml), as returned by {@code /keys/query}
 * or carried in {@code sender_device_keys} (MSC4147).
 *
 * <p>Keeps the original JSON, unknown fields included, because they are covered by the signatures.
 * Parsing checks shape only (required fields, key ids {@code <alg>:<device_id>}, key lengths);
 * signatures are checked by the methods below, so that callers can record which check failed.
 *
 * <p>Equality is equality of the whole JSON, {@code signatures} and {@code unsigned} included: two
 * copies that differ in a cross-signing signature are different evidence.
 */
public final class DeviceKeys {
    private static final String WHAT = "device keys";

    private final ObjectNode json;
    private final byte[] signedBytes;
    private final String userId;
    private final String deviceId;
    private final List<String> algorithms;
    private final Curve25519PublicKey curve25519;
    private final Ed25519PublicKey ed25519;

    private DeviceKeys(ObjectNode json, byte[] signedBytes, String userId, String deviceId, List<String> algorithms,
                       Curve25519PublicKey curve25519, Ed25519PublicKey ed25519) {
        this.json = json;
        this.signedBytes = signedBytes;
        this.userId = userId;
        this.deviceId = deviceId;
        this.algorithms = algorithms;
        this.curve25519 = curve25519;
        this.ed25519 = ed25519;
    }

    /** Parses the shape; throws {@link MatrixFormatException} naming the bad field. */
    public static DeviceKeys parse(JsonNode json) {
        ObjectNode object = Fields.object(json, WHAT).deepCopy();
        String userId = Fields.id(object, "user_id", WHAT);
        String deviceId = Fields.id(object, "device_id", WHAT);
        List<String> algorithms = algorithms(Fields.required(object, "algorithms", WHAT));
        ObjectNode keys = Fields.object(object, "keys", WHAT);
        for (Map.Entry<String, JsonNode> key : keys.properties()) {
            // Every entry is "<algorithm>:<device_id>" (spec); a key filed under another device id
            // would let one object speak for two devices.
            int colon = key.getKey().indexOf(':');
            if (colon <= 0 || !key.getKey().substring(colon + 1).equals(deviceId)) {
                throw new MatrixFormatException(WHAT + ".keys." + Bounds.shorten(key.getKey())
                        + ": key ids must be <algorithm>:" + Bounds.shorten(deviceId));
            }
            if (!key.getValue().isTextual()) {
                throw new MatrixFormatException(WHAT + ".keys." + Bounds.shorten(key.getKey()) + " must be a string, got "
                        + MatrixJson.describe(key.getValue()));
            }
        }
        Curve25519PublicKey curve = Fields.curve25519(keys, "curve25519:" + deviceId, WHAT + ".keys");
        Ed25519PublicKey ed = Fields.ed25519(keys, "ed25519:" + deviceId, WHAT + ".keys");
        Fields.signaturesShape(Fields.required(object, SignedJson.SIGNATURES, WHAT), WHAT);
        byte[] signed = Fields.signedBytes(object, WHAT);
        return new DeviceKeys(object, signed, userId, deviceId, algorithms, curve, ed);
    }

    private static List<String> algorithms(JsonNode node) {
        if (!node.isArray()) {
            throw new MatrixFormatException(WHAT + ".algorithms must be an array, got " + MatrixJson.describe(node));
        }
        List<String> result = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new MatrixFormatException(WHAT + ".algorithms[" + i + "] must be a string, got "
                        + MatrixJson.describe(node.get(i)));
            }
            result.add(node.get(i).textValue());
        }
        return Collections.unmodifiableList(result);
    }

    public String userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    public List<String> algorithms() {
        return algorithms;
    }

    public Curve25519PublicKey curve25519() {
        return curve25519;
    }

    public Ed25519PublicKey ed25519() {
        return ed25519;
    }

    /** A deep copy of the whole object as received, {@code signatures} and {@code unsigned} included. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The device's signature by its own ed25519 key, {@code signatures[user_id]["ed25519:<device_id>"]}. */
    public SignatureCheck selfSignature() {
        return Fields.signature(json, signedBytes, userId, "ed25519:" + deviceId, ed25519);
    }

    /** The signature by {@code key}, looked up as {@code signatures[signerUserId]["ed25519:<key base64>"]}. */
    public SignatureCheck signatureBy(String signerUserId, Ed25519PublicKey key) {
        return Fields.signature(json, signedBytes, signerUserId, SignedJson.keyIdOf(key), key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceKeys other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceKeys[" + userId + "/" + deviceId + ", curve25519=" + curve25519 + ", ed25519=" + ed25519 + "]";
    }
}
