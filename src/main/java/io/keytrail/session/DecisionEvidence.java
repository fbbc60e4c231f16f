package io.keytrail.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.Evidence;
import io.keytrail.trust.OwnerIdentity;

/**
 * The inputs of one sender-data decision, as signed JSON exactly as received, so that an auditor can
 * re-verify every signature and re-run the decision with today's code (design section 8).
 *
 * @param senderDeviceKeys   MSC4147 {@code sender_device_keys} carried by the room key, or null
 * @param storedDevice       the sender's device with the creator's curve25519 key as last fetched, or null
 * @param masterKey          the sender's accepted MSK at decision time, or null
 * @param selfSigningKey     the sender's accepted SSK at decision time, or null
 * @param masterKeyVerified  the local user had verified that MSK
 * @param previouslyVerified an earlier MSK of the sender had been verified
 * @param storedDeviceStanding what the arrival checks found about {@code storedDevice}'s cross-signing (its
 *                           signature by the SSK, or the refused SSK it relies on, as received), or null
 *                           (no stored device, or recorded before standings existed: events of revision 1
 *                           written earlier read with null). Omitted from JSON when null, so evidence
 *                           without a standing is stored exactly as before.
 */
public record DecisionEvidence(ObjectNode senderDeviceKeys, ObjectNode storedDevice, ObjectNode masterKey,
                               ObjectNode selfSigningKey, boolean masterKeyVerified, boolean previouslyVerified,
                               @JsonInclude(JsonInclude.Include.NON_NULL) DeviceStanding storedDeviceStanding) {

    /** Evidence without a recorded standing for the stored device. */
    public DecisionEvidence(ObjectNode senderDeviceKeys, ObjectNode storedDevice, ObjectNode masterKey,
                            ObjectNode selfSigningKey, boolean masterKeyVerified, boolean previouslyVerified) {
        this(senderDeviceKeys, storedDevice, masterKey, selfSigningKey, masterKeyVerified, previouslyVerified, null);
    }

    /** Rebuilds the finder's input from the recorded evidence and the session's own facts. */
    public Evidence toEvidence(String sender, String senderKey, String claimedEd25519, boolean imported) {
        Optional<OwnerIdentity> identity = Optional.empty();
        if (masterKey != null && selfSigningKey != null) {
            identity = Optional.of(new OwnerIdentity(sender, CrossSigningKey.parse(masterKey),
                    CrossSigningKey.parse(selfSigningKey), masterKeyVerified, previouslyVerified));
        }
        DeviceKeys stored = storedDevice == null ? null : DeviceKeys.parse(storedDevice);
        return new Evidence(sender, Curve25519PublicKey.parse(senderKey),
                claimedEd25519 == null ? null : Ed25519PublicKey.parse(claimedEd25519), imported,
                Optional.ofNullable(senderDeviceKeys).map(DeviceKeys::parse),
                stored == null ? List.of() : List.of(stored), identity,
                stored == null || storedDeviceStanding == null ? Map.of()
                        : Map.of(stored.deviceId(), storedDeviceStanding));
    }

    /** The same evidence with the room key's own {@code sender_device_keys} (kept by the session). */
    public DecisionEvidence withSenderDeviceKeys(ObjectNode keys) {
        return new DecisionEvidence(keys, storedDevice, masterKey, selfSigningKey, masterKeyVerified,
                previouslyVerified, storedDeviceStanding);
    }
}
