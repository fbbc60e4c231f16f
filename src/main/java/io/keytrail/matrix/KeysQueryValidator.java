package io.keytrail.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-user checks behind {@link KeysQueryResponse#parse}, in dependency order: the master key
 * first (it is the root of the chain), then the keys it must have signed, then devices, which are
 * judged against the self-signing key.
 *
 * <p>This is the one place where an SSK's signature by the MSK is verified, and the one place where a
 * {@code /keys/query} device's signature by the SSK is verified: the result is the device's
 * {@link SelfSigningCheck}, recorded as its standing and read by the trust decision, which does not
 * check it again (see {@code trust.SenderDataFinder}).
 */
final class KeysQueryValidator {
    private final String userId;
    private final KeysQueryLimits limits;
    private final List<Rejection> rejections = new ArrayList<>();

    private KeysQueryValidator(String userId, KeysQueryLimits limits) {
        this.userId = userId;
        this.limits = limits;
    }

    static UserKeys validateUser(String userId, KeysQueryLimits limits, Optional<JsonNode> masterJson,
                                 Optional<JsonNode> sskJson, Optional<JsonNode> uskJson, Optional<JsonNode> devicesJson) {
        KeysQueryValidator v = new KeysQueryValidator(userId, limits);
        Optional<CrossSigningKey> master = masterJson.flatMap(json -> v.masterKey(json));
        Checked ssk = sskJson.map(json -> v.signedByMaster(json, KeyUsage.SELF_SIGNING, Rejection.SELF_SIGNING_KEY, master))
                .orElse(Checked.NONE);
        Checked usk = uskJson.map(json -> v.signedByMaster(json, KeyUsage.USER_SIGNING, Rejection.USER_SIGNING_KEY, master))
                .orElse(Checked.NONE);
        Map<String, AcceptedDevice> devices = devicesJson.map(json -> v.devices(json, ssk)).orElse(Map.of());
        return new UserKeys(userId, master, ssk.accepted(), usk.accepted(), devices, devicesJson.isPresent(),
                v.rejections);
    }

    /** A cross-signing key after its checks: accepted, or refused (keeping the key when it was readable). */
    private record Checked(Optional<CrossSigningKey> accepted, Optional<CrossSigningKey> refused,
                           Optional<RejectionReason> refusedFor) {
        static final Checked NONE = new Checked(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Optional<CrossSigningKey> masterKey(JsonNode json) {
        return shapeUserAndUsage(json, KeyUsage.MASTER, Rejection.MASTER_KEY);
    }

    private Checked signedByMaster(JsonNode json, KeyUsage usage, String what, Optional<CrossSigningKey> master) {
        Optional<CrossSigningKey> parsed = parseCrossSigningKey(json, what);
        if (parsed.isEmpty()) {
            return new Checked(Optional.empty(), Optional.empty(), Optional.of(RejectionReason.MALFORMED));
        }
        CrossSigningKey key = parsed.get();
        Optional<RejectionReason> refused = userAndUsage(key, usage, what);
        if (refused.isEmpty() && master.isEmpty()) {
            refused = Optional.of(reject(what, RejectionReason.MISSING_MASTER_KEY, Optional.of(key.keyId()), Optional.empty(),
                    what + " " + key.keyId() + " cannot be checked: no accepted master key for " + userId, json));
        }
        if (refused.isEmpty()) {
            CrossSigningKey msk = master.get();
            SignatureCheck check = key.signatureBy(userId, msk.publicKey());
            if (check == SignatureCheck.ABSENT) {
                refused = Optional.of(reject(what, RejectionReason.MISSING_MASTER_SIGNATURE, Optional.of(key.keyId()),
                        Optional.of(msk.keyId()), what + " " + key.keyId() + " is not signed by master key " + msk.keyId(), json));
            } else if (check == SignatureCheck.INVALID) {
                refused = Optional.of(reject(what, RejectionReason.BAD_MASTER_SIGNATURE, Optional.of(key.keyId()),
                        Optional.of(msk.keyId()), what + " " + key.keyId() + " has a signature by master key " + msk.keyId()
                                + " that does not verify (tampering)", json));
            }
        }
        return refused.isEmpty()
                ? new Checked(parsed, Optional.empty(), Optional.empty())
                : new Checked(Optional.empty(), parsed, refused);
    }

    private Optional<CrossSigningKey> shapeUserAndUsage(JsonNode json, KeyUsage usage, String what) {
        Optional<CrossSigningKey> parsed = parseCrossSigningKey(json, what);
        return parsed.filter(key -> userAndUsage(key, usage, what).isEmpty());
    }

    private Optional<CrossSigningKey> parseCrossSigningKey(JsonNode json, String what) {
        if (Bounds.exceeds(json, limits.maxObjectChars())) {
            rejectOverLimit(what, what + " is larger than " + limits.maxObjectChars() + " characters of JSON");
            return Optional.empty();
        }
        try {
            return Optional.of(CrossSigningKey.parse(json));
        } catch (MatrixFormatException e) {
            reject(what, RejectionReason.MALFORMED, Optional.empty(), Optional.empty(), what + ": " + e.getMessage(), json);
            return Optional.empty();
        }
    }

    private Optional<RejectionReason> userAndUsage(CrossSigningKey key, KeyUsage usage, String what) {
        if (!key.userId().equals(userId)) {
            return Optional.of(reject(what, RejectionReason.USER_ID_MISMATCH, Optional.of(key.keyId()), Optional.empty(),
                    what + " " + key.keyId() + " has user_id " + key.userId() + " but is filed under " + userId, key.json()));
        }
        if (!key.usage().contains(usage)) {
            return Optional.of(reject(what, RejectionReason.WRONG_USAGE, Optional.of(key.keyId()), Optional.empty(),
                    what + " " + key.keyId() + " has usage " + wireNames(key) + " without " + usage.wireName(), key.json()));
        }
        return Optional.empty();
    }

    private Map<String, AcceptedDevice> devices(JsonNode json, Checked ssk) {
        if (!json.isObject()) {
            reject(Rejection.DEVICE_KEYS, RejectionReason.MALFORMED, Optional.empty(), Optional.empty(),
                    "device_keys." + userId + " must be a JSON object, got " + MatrixJson.describe(json), json);
            return Map.of();
        }
        Map<String, AcceptedDevice> accepted = new TreeMap<>();
        json.properties().forEach(entry -> device(entry.getKey(), entry.getValue(), ssk)
                .ifPresent(device -> accepted.put(entry.getKey(), device)));
        return accepted;
    }

    private Optional<AcceptedDevice> device(String deviceId, JsonNode json, Checked ssk) {
        String what = Rejection.device(deviceId);
        if (!Bounds.isIdSized(deviceId)) {
            rejectOverLimit(what, "the device id is longer than " + Bounds.MAX_ID_BYTES + " bytes, the Matrix limit for ids");
            return Optional.empty();
        }
        if (Bounds.exceeds(json, limits.maxObjectChars())) {
            rejectOverLimit(what, what + " is larger than " + limits.maxObjectChars() + " characters of JSON");
            return Optional.empty();
        }
        DeviceKeys keys;
        try {
            keys = DeviceKeys.parse(json);
        } catch (MatrixFormatException e) {
            reject(what, RejectionReason.MALFORMED, Optional.empty(), Optional.empty(), what + ": " + e.getMessage(), json);
            return Optional.empty();
        }
        Optional<String> keyId = Optional.of("ed25519:" + keys.deviceId());
        if (!keys.userId().equals(userId)) {
            reject(what, RejectionReason.USER_ID_MISMATCH, keyId, Optional.empty(),
                    what + " has user_id " + keys.userId() + " but is filed under " + userId, json);
            return Optional.empty();
        }
        if (!keys.deviceId().equals(deviceId)) {
            reject(what, RejectionReason.DEVICE_ID_MISMATCH, keyId, Optional.empty(),
                    what + " has device_id " + keys.deviceId() + " but is filed under " + deviceId, json);
            return Optional.empty();
        }
        SignatureCheck self = keys.selfSignature();
        if (self != SignatureCheck.VALID) {
            boolean absent = self == SignatureCheck.ABSENT;
            reject(what, absent ? RejectionReason.MISSING_SELF_SIGNATURE : RejectionReason.BAD_SELF_SIGNATURE, keyId, keyId,
                    what + (absent ? " is not signed by its own key " : " has a self-signature that does not verify, key ")
                            + keyId.get(), json);
            return Optional.empty();
        }
        return Optional.of(new AcceptedDevice(keys, selfSigning(keys, what, ssk)));
    }

    private SelfSigningCheck selfSigning(DeviceKeys keys, String what, Checked ssk) {
        if (ssk.accepted().isPresent()) {
            CrossSigningKey key = ssk.accepted().get();
            SignatureCheck check = keys.signatureBy(userId, key.publicKey());
            if (check == SignatureCheck.INVALID) {
                reject(what, RejectionReason.BAD_SELF_SIGNING_SIGNATURE, Optional.of("ed25519:" + keys.deviceId()),
                        Optional.of(key.keyId()), what + " has a signature by self-signing key " + key.keyId()
                                + " that does not verify (tampering)", keys.json());
            }
            return new SelfSigningCheck.ByAcceptedKey(key.keyId(), check);
        }
        if (ssk.refused().isPresent()) {
            CrossSigningKey key = ssk.refused().get();
            return new SelfSigningCheck.ByRejectedKey(key.keyId(), keys.signatureBy(userId, key.publicKey()),
                    ssk.refusedFor().orElseThrow());
        }
        return new SelfSigningCheck.NoSelfSigningKey();
    }

    private RejectionReason reject(String what, RejectionReason reason, Optional<String> keyId,
                                   Optional<String> signerKeyId, String message, JsonNode json) {
        rejections.add(new Rejection(userId, what, reason, keyId, signerKeyId, message, json));
        return reason;
    }

    /** Over a size limit: the refused JSON is not kept (it would carry the oversized input into events). */
    private void rejectOverLimit(String what, String message) {
        rejections.add(new Rejection(userId, what, RejectionReason.OVER_LIMIT, Optional.empty(), Optional.empty(),
                message, null));
    }

    private static List<String> wireNames(CrossSigningKey key) {
        return key.usage().stream().map(KeyUsage::wireName).toList();
    }
}
