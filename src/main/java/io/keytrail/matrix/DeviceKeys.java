package io.keytrail.matrix;

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
 */
public final class DeviceKeys {
    // API contract; implemented in the matrix package work.

    /** Parses the shape; throws {@link MatrixFormatException} naming the bad field. */
    public static DeviceKeys parse(JsonNode json) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public String userId() {
        throw new UnsupportedOperationException();
    }

    public String deviceId() {
        throw new UnsupportedOperationException();
    }

    public Curve25519PublicKey curve25519() {
        throw new UnsupportedOperationException();
    }

    public Ed25519PublicKey ed25519() {
        throw new UnsupportedOperationException();
    }

    /** A deep copy of the whole object as received, {@code signatures} and {@code unsigned} included. */
    public ObjectNode json() {
        throw new UnsupportedOperationException();
    }

    /** The device's signature by its own ed25519 key, {@code signatures[user_id]["ed25519:<device_id>"]}. */
    public SignatureCheck selfSignature() {
        throw new UnsupportedOperationException();
    }

    /** The signature by {@code key}, looked up as {@code signatures[signerUserId]["ed25519:<key base64>"]}. */
    public SignatureCheck signatureBy(String signerUserId, Ed25519PublicKey key) {
        throw new UnsupportedOperationException();
    }
}
