package io.keytrail.redecision;

import io.keytrail.errors.RefusalException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.KeyRejection;
import io.keytrail.identity.UserKeysSnapshot;
import io.keytrail.matrix.AcceptedDevice;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.KeysQueryLimits;
import io.keytrail.matrix.KeysQueryResponse;
import io.keytrail.matrix.MatrixFormatException;
import io.keytrail.matrix.Rejection;
import io.keytrail.matrix.SelfSigningCheck;
import io.keytrail.matrix.UserKeys;
import io.keytrail.trust.DeviceStanding;

/** Turns a validated {@code /keys/query} response into the per-user snapshots the identity aggregate records. */
final class KeysQuerySnapshots {
    private KeysQuerySnapshots() {
    }

    /** The snapshots of the users that were read, and the users refused whole for a limit (design section 11). */
    record Parsed(List<UserKeysSnapshot> snapshots, List<Rejection> refusedUsers) {
    }

    static Parsed parse(JsonNode body, KeysQueryLimits limits) {
        KeysQueryResponse response;
        try {
            response = KeysQueryResponse.parse(body, limits);
        } catch (MatrixFormatException e) {
            throw RefusalException.invalidInput("keys_query_response body: " + e.getMessage());
        }
        List<UserKeysSnapshot> snapshots = new ArrayList<>();
        for (UserKeys user : response.users().values()) {
            snapshots.add(snapshot(user));
        }
        return new Parsed(snapshots, response.refusedUsers());
    }

    private static UserKeysSnapshot snapshot(UserKeys user) {
        Map<String, ObjectNode> devices = new LinkedHashMap<>();
        Set<String> tainted = new HashSet<>();
        Map<String, DeviceStanding> standings = new LinkedHashMap<>();
        for (Map.Entry<String, AcceptedDevice> d : user.devices().entrySet()) {
            devices.put(d.getKey(), d.getValue().keys().json());
            DeviceStanding standing = standing(d.getValue(), user);
            standings.put(d.getKey(), standing);
            if (standing.tainted()) {
                tainted.add(d.getKey());
            }
        }
        boolean identityRefused = user.rejections().stream().anyMatch(r -> r.what().equals(Rejection.MASTER_KEY)
                || r.what().equals(Rejection.SELF_SIGNING_KEY));
        List<KeyRejection> rejections = user.rejections().stream()
                .map(r -> new KeyRejection(r.what(), r.reason().name(), r.signerKeyId().or(r::keyId).orElse(null),
                        r.message(), r.reason().isTampering(), r.json()))
                .toList();
        return new UserKeysSnapshot(user.userId(), user.listsDevices(), devices,
                user.masterKey().map(CrossSigningKey::json).orElse(null),
                user.selfSigningKey().map(CrossSigningKey::json).orElse(null),
                user.userSigningKey().map(CrossSigningKey::json).orElse(null),
                identityRefused, rejections, tainted, standings);
    }

    /**
     * The device's cross-signing as the validator checked it (the one check of its SSK signature),
     * with the refused SSK and the MSK that failed to sign it, as received, when the device relies on it.
     */
    private static DeviceStanding standing(AcceptedDevice device, UserKeys user) {
        SelfSigningCheck check = device.selfSigning();
        if (check instanceof SelfSigningCheck.ByAcceptedKey accepted) {
            return DeviceStanding.checked(accepted.keyId(), accepted.signature());
        }
        if (check instanceof SelfSigningCheck.ByRejectedKey refused && device.reliesOnTamperedKey()) {
            ObjectNode refusedKey = user.rejections().stream()
                    .filter(r -> r.what().equals(Rejection.SELF_SIGNING_KEY) && r.reason() == refused.sskRejectedFor()
                            && r.json() instanceof ObjectNode)
                    .map(r -> (ObjectNode) r.json()).findFirst().orElse(null);
            return DeviceStanding.reliesOnRefusedKey(refused.keyId(), refusedKey, refused.sskRejectedFor().name(),
                    user.masterKey().map(CrossSigningKey::json).orElse(null));
        }
        return DeviceStanding.unchecked();
    }
}
