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
import io.keytrail.matrix.UserKeys;

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
        for (Map.Entry<String, AcceptedDevice> d : user.devices().entrySet()) {
            devices.put(d.getKey(), d.getValue().keys().json());
            if (d.getValue().reliesOnTamperedKey()) {
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
                identityRefused, rejections, tainted);
    }
}
