package io.keytrail.identity;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 */
public record UserKeysSnapshot(String userId, boolean listsDevices, Map<String, ObjectNode> devices, ObjectNode masterKey,
                               ObjectNode selfSigningKey, ObjectNode userSigningKey, boolean identityRefused,
                               List<KeyRejection> rejections, Set<String> taintedDeviceIds) {
    public UserKeysSnapshot {
        devices = Map.copyOf(devices);
        rejections = List.copyOf(rejections);
        taintedDeviceIds = Set.copyOf(taintedDeviceIds);
    }
}
