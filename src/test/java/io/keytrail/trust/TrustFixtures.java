package io.keytrail.trust;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignedJson;

/**
 * Real signed device keys and cross-signing keys for the finder tests, signed with
 * {@link SignedJson#sign} (the matrix branch ships no fixture builders yet). Keys come from fixed seeds.
 */
final class TrustFixtures {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TrustFixtures() {
    }

    static Ed25519KeyPair keyPair(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return Ed25519KeyPair.fromSeed(bytes);
    }

    static Curve25519PublicKey curveKey(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return Curve25519PublicKey.fromBytes(bytes);
    }

    /** A user's cross-signing keys: an MSK and an SSK signed by it. */
    record Identity(String userId, Ed25519KeyPair msk, Ed25519KeyPair ssk) {
        static Identity of(String userId, int seed) {
            return new Identity(userId, keyPair(seed), keyPair(seed + 1));
        }

        CrossSigningKey masterKey() {
            return CrossSigningKey.parse(crossSigningJson(userId, "master", msk));
        }

        CrossSigningKey selfSigningKey() {
            ObjectNode json = crossSigningJson(userId, "self_signing", ssk);
            return CrossSigningKey.parse(SignedJson.sign(json, userId, SignedJson.keyIdOf(msk.publicKey()), msk));
        }

        OwnerIdentity tofu() {
            return new OwnerIdentity(userId, masterKey(), selfSigningKey(), false, false);
        }

        OwnerIdentity verified() {
            return new OwnerIdentity(userId, masterKey(), selfSigningKey(), true, false);
        }

        OwnerIdentity previouslyVerified() {
            return new OwnerIdentity(userId, masterKey(), selfSigningKey(), false, true);
        }
    }

    /** A device: its ed25519 signing key pair and curve25519 identity key. */
    record Device(String userId, String deviceId, Ed25519KeyPair ed25519, Curve25519PublicKey curve25519) {
        static Device of(String userId, String deviceId, int seed) {
            return new Device(userId, deviceId, keyPair(seed), curveKey(seed));
        }

        /** Self-signed only. */
        ObjectNode selfSignedJson() {
            ObjectNode json = NODES.objectNode();
            json.put("user_id", userId).put("device_id", deviceId);
            json.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
            json.putObject("keys").put("curve25519:" + deviceId, curve25519.toBase64())
                    .put("ed25519:" + deviceId, ed25519.publicKey().toBase64());
            return SignedJson.sign(json, userId, "ed25519:" + deviceId, ed25519);
        }

        DeviceKeys unsigned() {
            return DeviceKeys.parse(selfSignedJson());
        }

        /** Self-signed and signed by {@code ssk}. */
        DeviceKeys signedBy(Ed25519KeyPair ssk) {
            return DeviceKeys.parse(SignedJson.sign(selfSignedJson(), userId, SignedJson.keyIdOf(ssk.publicKey()), ssk));
        }

        /** A signature filed under {@code ssk}'s key id but made by another key: it cannot verify. */
        DeviceKeys forgedSignatureOf(Ed25519KeyPair ssk) {
            return DeviceKeys.parse(SignedJson.sign(selfSignedJson(), userId, SignedJson.keyIdOf(ssk.publicKey()),
                    keyPair(99)));
        }
    }

    /** Evidence for a room key received over Olm from {@code device}, claiming its keys. */
    static Evidence olm(Device device, Optional<DeviceKeys> shipped, List<DeviceKeys> stored,
                        Optional<OwnerIdentity> identity) {
        return new Evidence(device.userId(), device.curve25519(), device.ed25519().publicKey(), false, shipped,
                stored, identity);
    }

    static Evidence imported(Device device, List<DeviceKeys> stored, Optional<OwnerIdentity> identity) {
        return new Evidence(device.userId(), device.curve25519(), device.ed25519().publicKey(), true,
                Optional.empty(), stored, identity);
    }

    private static ObjectNode crossSigningJson(String userId, String usage, Ed25519KeyPair key) {
        ObjectNode json = NODES.objectNode();
        json.put("user_id", userId);
        json.putArray("usage").add(usage);
        json.putObject("keys").put(SignedJson.keyIdOf(key.publicKey()), key.publicKey().toBase64());
        return json;
    }
}
