package io.keytrail.matrix;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One piece of a {@code /keys/query} response that was refused, and why: enough for an audit event
 * and for the replay output's {@code rejected} list without re-running any check.
 *
 * @param userId      the user the piece was filed under in the response
 * @param what        {@code device:<device_id>}, {@code master_key}, {@code self_signing_key},
 *                    {@code user_signing_key}, or {@code device_keys} when the user's device map itself is malformed
 * @param reason      the check that failed
 * @param keyId       the key id of the refused object ({@code ed25519:<device_id>} or {@code ed25519:<public key>}),
 *                    when it could be read
 * @param signerKeyId for signature failures: the key id whose signature is missing or bad
 * @param message     a human-readable explanation naming the field or signature
 * @param json        the offending JSON, as received (a copy; {@code null} in the response becomes a JSON null)
 */
public record Rejection(String userId, String what, RejectionReason reason, Optional<String> keyId,
                        Optional<String> signerKeyId, String message, JsonNode json) {
    public static final String MASTER_KEY = "master_key";
    public static final String SELF_SIGNING_KEY = "self_signing_key";
    public static final String USER_SIGNING_KEY = "user_signing_key";
    public static final String DEVICE_KEYS = "device_keys";
    /** The whole user: refused before any of its keys was read (a limit of design section 11). */
    public static final String USER = "user";

    public Rejection {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signerKeyId, "signerKeyId");
        Objects.requireNonNull(message, "message");
        json = json == null ? NullNode.getInstance() : json.deepCopy();
    }

    /** The {@code what} of a device: {@code device:<device_id>}. */
    public static String device(String deviceId) {
        return "device:" + (Bounds.isIdSized(deviceId) ? deviceId : Bounds.shorten(deviceId));
    }

    /** A copy of the offending JSON (JSON nodes are mutable; the record stays immutable). */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }

    /** See {@link RejectionReason#isTampering()}. */
    public boolean isTampering() {
        return reason.isTampering();
    }
}
