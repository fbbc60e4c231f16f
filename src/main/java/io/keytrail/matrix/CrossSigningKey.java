package io.keytrail.matrix;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A signed cross-signing key (spec: cross_signing_key.yaml): exactly one ed25519 key whose key id is
 * the public key itself, a {@code usage} list and the owner's user id. The original JSON is kept.
 */
public final class CrossSigningKey {
    // API contract; implemented in the matrix package work.

    /** Parses the shape; throws {@link MatrixFormatException} naming the bad field. */
    public static CrossSigningKey parse(JsonNode json) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public String userId() {
        throw new UnsupportedOperationException();
    }

    public Set<KeyUsage> usage() {
        throw new UnsupportedOperationException();
    }

    public Ed25519PublicKey publicKey() {
        throw new UnsupportedOperationException();
    }

    /** {@code "ed25519:" + publicKey().toBase64()}. */
    public String keyId() {
        throw new UnsupportedOperationException();
    }

    /** A deep copy of the whole object as received. */
    public ObjectNode json() {
        throw new UnsupportedOperationException();
    }

    /** The signature by {@code key}, looked up as {@code signatures[signerUserId]["ed25519:<key base64>"]}. */
    public SignatureCheck signatureBy(String signerUserId, Ed25519PublicKey key) {
        throw new UnsupportedOperationException();
    }
}
