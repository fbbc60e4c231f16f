package io.keytrail.matrix;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A signed cross-signing key (spec: cross_signing_key.yaml): exactly one ed25519 key whose key id is
 * the public key itself, a {@code usage} list and the owner's user id. The original JSON is kept.
 *
 * <p>Parsing checks shape only. Whether the usage fits the place the key was found and whether the
 * master key signed it are the caller's checks ({@link KeysQueryResponse} does both), so that each
 * failure can be reported as what it is. Equality is equality of the whole JSON.
 */
public final class CrossSigningKey {
    private static final String WHAT = "cross-signing key";

    private final ObjectNode json;
    private final byte[] signedBytes;
    private final String userId;
    private final Set<KeyUsage> usage;
    private final Ed25519PublicKey publicKey;

    private CrossSigningKey(ObjectNode json, byte[] signedBytes, String userId, Set<KeyUsage> usage,
                            Ed25519PublicKey publicKey) {
        this.json = json;
        this.signedBytes = signedBytes;
        this.userId = userId;
        this.usage = usage;
        this.publicKey = publicKey;
    }

    /** Parses the shape; throws {@link MatrixFormatException} naming the bad field. */
    public static CrossSigningKey parse(JsonNode json) {
        ObjectNode object = Fields.object(json, WHAT).deepCopy();
        String userId = Fields.id(object, "user_id", WHAT);
        Set<KeyUsage> usage = usage(Fields.required(object, "usage", WHAT));
        ObjectNode keys = Fields.object(object, "keys", WHAT);
        if (keys.size() != 1) {
            throw new MatrixFormatException(WHAT + ".keys must hold exactly one key, got " + keys.size());
        }
        Map.Entry<String, JsonNode> only = keys.properties().iterator().next();
        Ed25519PublicKey publicKey = Fields.ed25519(keys, only.getKey(), WHAT + ".keys");
        // The key id is the key (spec): ids are a namespace shared with device ids, so a cross-signing
        // key is known by its public key and nothing else.
        String expectedId = SignedJson.keyIdOf(publicKey);
        if (!only.getKey().equals(expectedId)) {
            throw new MatrixFormatException(WHAT + ".keys: key id " + Bounds.shorten(only.getKey()) + " must be " + expectedId);
        }
        JsonNode signatures = object.get(SignedJson.SIGNATURES);
        if (signatures != null) {
            Fields.signaturesShape(signatures, WHAT);
        }
        byte[] signed = Fields.signedBytes(object, WHAT);
        return new CrossSigningKey(object, signed, userId, usage, publicKey);
    }

    private static Set<KeyUsage> usage(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new MatrixFormatException(WHAT + ".usage must be a non-empty array, got " + MatrixJson.describe(node)
                    + (node.isArray() ? " with no entries" : ""));
        }
        EnumSet<KeyUsage> result = EnumSet.noneOf(KeyUsage.class);
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            KeyUsage usage = entry.isTextual() ? KeyUsage.fromWireName(entry.textValue()).orElse(null) : null;
            if (usage == null) {
                throw new MatrixFormatException(WHAT + ".usage[" + i + "] must be one of master, self_signing,"
                        + " user_signing, got " + (entry.isTextual() ? "\"" + Bounds.shorten(entry.textValue()) + "\"" : MatrixJson.describe(entry)));
            }
            result.add(usage);
        }
        return Collections.unmodifiableSet(result);
    }

    public String userId() {
        return userId;
    }

    public Set<KeyUsage> usage() {
        return usage;
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** {@code "ed25519:" + publicKey().toBase64()}. */
    public String keyId() {
        return SignedJson.keyIdOf(publicKey);
    }

    /** A deep copy of the whole object as received. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The signature by {@code key}, looked up as {@code signatures[signerUserId]["ed25519:<key base64>"]}. */
    public SignatureCheck signatureBy(String signerUserId, Ed25519PublicKey key) {
        return Fields.signature(json, signedBytes, signerUserId, SignedJson.keyIdOf(key), key);
    }

    /** A signature under any ed25519 key id (for example a device's {@code ed25519:<device_id>} on a master key). */
    public SignatureCheck signature(String signerUserId, String keyId, Ed25519PublicKey key) {
        if (keyId == null || !keyId.startsWith("ed25519:")) {
            throw new IllegalArgumentException("not an ed25519 key id: " + keyId);
        }
        return Fields.signature(json, signedBytes, signerUserId, keyId, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossSigningKey other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "CrossSigningKey[" + userId + " " + usage + " " + publicKey + "]";
    }
}
