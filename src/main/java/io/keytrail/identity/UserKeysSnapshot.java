package io.keytrail.identity;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.trust.DeviceStanding;

/**
 * One user's part of a {@code /keys/query} response after validation: a full snapshot of the devices
 * we accept (a device missing from it is gone), the cross-signing keys we accept, and what we refused.
 *
 * @param listsDevices     the response listed the user's devices; otherwise {@code devices} says nothing
 * @param devices          accepted device keys (signed JSON as received) by device id
 * @param masterKey        accepted MSK, or null when the response has none (or it was refused)
 * @param selfSigningKey   accepted SSK (validly signed by {@code masterKey}), or null
 * @param userSigningKey   accepted USK (own user only), or null
 * @param identityRefused  the response carried a cross-signing identity that we refused (tampering or malformed)
 * @param taintedDeviceIds devices whose trust would rest on refused (tampered) cross-signing material
 * @param standings        by device id: each accepted device's cross-signing as checked on arrival (the one
 *                         place a /keys/query device's SSK signature is verified)
 */
public record UserKeysSnapshot(String userId, boolean listsDevices, Map<String, ObjectNode> devices, ObjectNode masterKey,
                               ObjectNode selfSigningKey, ObjectNode userSigningKey, boolean identityRefused,
                               List<KeyRejection> rejections, Set<String> taintedDeviceIds,
                               Map<String, DeviceStanding> standings) {
    public UserKeysSnapshot {
        devices = Map.copyOf(devices);
        rejections = List.copyOf(rejections);
        taintedDeviceIds = Set.copyOf(taintedDeviceIds);
        standings = Map.copyOf(standings);
    }

    /** A snapshot without recorded standings. */
    public UserKeysSnapshot(String userId, boolean listsDevices, Map<String, ObjectNode> devices, ObjectNode masterKey,
                            ObjectNode selfSigningKey, ObjectNode userSigningKey, boolean identityRefused,
                            List<KeyRejection> rejections, Set<String> taintedDeviceIds) {
        this(userId, listsDevices, devices, masterKey, selfSigningKey, userSigningKey, identityRefused, rejections,
                taintedDeviceIds, Map.of());
    }
}
