package io.keytrail.trust;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.DeviceKeys;

/**
 * Everything the decision may look at, and nothing else: the finder does no I/O.
 *
 * @param sender           the to-device sender (already checked equal to the plaintext {@code sender})
 * @param olmSenderKey     the Olm session's curve25519 key, the only sender fact the Olm layer authenticated
 * @param claimedEd25519   {@code keys.ed25519} of the Olm payload (or the session's claimed signing key)
 * @param imported         the session came from an export, a backup or a forward: no Olm proof of its creator
 * @param senderDeviceKeys MSC4147 {@code sender_device_keys}, already validated against the payload
 * @param senderDevices    the sender's own devices as last fetched ({@code /keys/query}); only these are searched
 * @param ownerIdentity    the sender's accepted cross-signing identity, if any
 * @param standings        by device id: what the arrival checks found about a device of {@code senderDevices}
 *                         (its signature by the owner's SSK, checked once there); a device without an entry
 *                         was never checked on arrival
 */
public record Evidence(String sender, Curve25519PublicKey olmSenderKey, Ed25519PublicKey claimedEd25519,
                       boolean imported, Optional<DeviceKeys> senderDeviceKeys, List<DeviceKeys> senderDevices,
                       Optional<OwnerIdentity> ownerIdentity, Map<String, DeviceStanding> standings) {
    public Evidence {
        senderDevices = List.copyOf(senderDevices);
        standings = Map.copyOf(standings);
    }

    /** Evidence whose stored devices carry no standing from arrival (the finder checks them itself). */
    public Evidence(String sender, Curve25519PublicKey olmSenderKey, Ed25519PublicKey claimedEd25519,
                    boolean imported, Optional<DeviceKeys> senderDeviceKeys, List<DeviceKeys> senderDevices,
                    Optional<OwnerIdentity> ownerIdentity) {
        this(sender, olmSenderKey, claimedEd25519, imported, senderDeviceKeys, senderDevices, ownerIdentity, Map.of());
    }

    /** The arrival standing of one of {@code senderDevices}, if it was recorded. */
    public Optional<DeviceStanding> standingOf(DeviceKeys device) {
        return senderDevices.contains(device) ? Optional.ofNullable(standings.get(device.deviceId())) : Optional.empty();
    }
}
