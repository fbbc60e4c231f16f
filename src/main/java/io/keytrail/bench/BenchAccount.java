package io.keytrail.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.matrix.SignedJson;

/**
 * One generated, cross-signed Matrix user of the benchmark: a master key, a self-signing key signed by
 * it, and devices whose keys are self-signed and signed by the self-signing key, all with real Ed25519
 * signatures. Keys are derived from the user id, so the same size gives the same workload. The signed
 * JSON is built once per device (as a client would ship it in every {@code sender_device_keys}).
 */
final class BenchAccount {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A device: its signing key pair, its curve25519 identity key and its cross-signed keys JSON. */
    record Device(String deviceId, Ed25519KeyPair ed25519, Curve25519PublicKey curve25519, ObjectNode keysJson) {
    }

    private final String userId;
    private final Ed25519KeyPair masterKey;
    private final Ed25519KeyPair selfSigningKey;
    private final List<Device> devices = new ArrayList<>();

    BenchAccount(String userId, int deviceCount) {
        this.userId = userId;
        this.masterKey = Ed25519KeyPair.fromSeed(derive("master"));
        this.selfSigningKey = Ed25519KeyPair.fromSeed(derive("self_signing"));
        for (int i = 0; i < deviceCount; i++) {
            devices.add(device("DEVICE" + i));
        }
    }

    String userId() {
        return userId;
    }

    List<Device> devices() {
        return devices;
    }

    /** This user's part of a {@code /keys/query} response, added to {@code body}. */
    void addTo(ObjectNode body) {
        ObjectNode mine = body.withObject("device_keys").putObject(userId);
        devices.forEach(d -> mine.set(d.deviceId(), d.keysJson()));
        body.withObject("master_keys").set(userId, masterKeyJson());
        body.withObject("self_signing_keys").set(userId, selfSigningKeyJson());
    }

    private Device device(String deviceId) {
        Ed25519KeyPair ed25519 = Ed25519KeyPair.fromSeed(derive("device/" + deviceId + "/ed25519"));
        X25519PrivateKeyParameters curve = new X25519PrivateKeyParameters(derive("device/" + deviceId + "/curve25519"), 0);
        Curve25519PublicKey curve25519 = Curve25519PublicKey.fromBytes(curve.generatePublicKey().getEncoded());
        ObjectNode json = NODES.objectNode();
        json.put("user_id", userId);
        json.put("device_id", deviceId);
        json.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        ObjectNode keys = json.putObject("keys");
        keys.put("curve25519:" + deviceId, curve25519.toBase64());
        keys.put("ed25519:" + deviceId, ed25519.publicKey().toBase64());
        json.putObject("signatures");
        ObjectNode selfSigned = SignedJson.sign(json, userId, "ed25519:" + deviceId, ed25519);
        ObjectNode crossSigned = SignedJson.sign(selfSigned, userId, SignedJson.keyIdOf(selfSigningKey.publicKey()),
                selfSigningKey);
        return new Device(deviceId, ed25519, curve25519, crossSigned);
    }

    private ObjectNode masterKeyJson() {
        return SignedJson.sign(crossSigningKey(masterKey, "master"), userId, SignedJson.keyIdOf(masterKey.publicKey()),
                masterKey);
    }

    private ObjectNode selfSigningKeyJson() {
        return SignedJson.sign(crossSigningKey(selfSigningKey, "self_signing"), userId,
                SignedJson.keyIdOf(masterKey.publicKey()), masterKey);
    }

    private ObjectNode crossSigningKey(Ed25519KeyPair key, String usage) {
        ObjectNode json = NODES.objectNode();
        json.put("user_id", userId);
        json.putArray("usage").add(usage);
        json.putObject("keys").put(SignedJson.keyIdOf(key.publicKey()), key.publicKey().toBase64());
        return json;
    }

    private byte[] derive(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("keytrail-bench|" + userId + "|" + label)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
