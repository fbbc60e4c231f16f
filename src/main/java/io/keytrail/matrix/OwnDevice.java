package io.keytrail.matrix;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

/**
 * The local device: who room keys must be addressed to. When known, an Olm payload's
 * {@code recipient} and {@code recipient_keys.ed25519} must name it (spec "Validation of incoming
 * decrypted events", steps 3-4), which stops a payload meant for someone else from being replayed to us.
 */
public record OwnDevice(String userId, String deviceId, Curve25519PublicKey curve25519, Ed25519PublicKey ed25519) {
    public OwnDevice {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Bounds.id(userId, "own_device.user_id");
        Bounds.id(deviceId, "own_device.device_id");
        Objects.requireNonNull(curve25519, "curve25519");
        Objects.requireNonNull(ed25519, "ed25519");
    }

    /**
     * Reads {@code {"user_id","device_id","curve25519","ed25519"}} (the recording's {@code own_device}
     * line; other fields such as {@code type} are ignored). Throws {@link MatrixFormatException}.
     */
    public static OwnDevice parse(JsonNode json) {
        ObjectNode object = Fields.object(json, "own_device");
        return new OwnDevice(Fields.string(object, "user_id", "own_device"), Fields.string(object, "device_id", "own_device"),
                Fields.curve25519(object, "curve25519", "own_device"), Fields.ed25519(object, "ed25519", "own_device"));
    }
}
