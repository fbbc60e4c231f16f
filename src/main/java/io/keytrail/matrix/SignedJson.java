package io.keytrail.matrix;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.Ed25519Signature;

/**
 * Signing and checking Matrix signed JSON (spec appendix "Signing JSON", "Checking for a signature").
 *
 * <p>A signature covers the canonical JSON of the object without its {@code signatures} and
 * {@code unsigned} members; that is what lets anyone add cross-signing signatures later. The
 * verification key always comes from the caller (a trusted place), never from the object itself.
 */
public final class SignedJson {
    static final String SIGNATURES = "signatures";
    static final String UNSIGNED = "unsigned";
    private static final String ED25519_PREFIX = "ed25519:";

    private SignedJson() {
    }

    /** The bytes a signature on {@code json} covers. Throws {@link MatrixFormatException} if not canonicalisable. */
    public static byte[] canonicalForSigning(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove(SIGNATURES);
        copy.remove(UNSIGNED);
        return CanonicalJson.encode(copy);
    }

    /**
     * Checks {@code signatures[entity][keyId]} with {@code key}.
     *
     * @return ABSENT if nothing is stored there; INVALID if something is but it is not a string, not
     *     64 bytes of base64, does not verify, or the object cannot be canonicalised (so cannot have
     *     been validly signed); VALID otherwise
     * @throws IllegalArgumentException if {@code keyId} is not an {@code ed25519:} key id (a caller bug)
     */
    public static SignatureCheck verify(ObjectNode json, String entity, String keyId, Ed25519PublicKey key) {
        requireEd25519KeyId(keyId);
        Objects.requireNonNull(key, "key");
        JsonNode value = json.path(SIGNATURES).path(entity).path(keyId);
        if (value.isMissingNode()) {
            return SignatureCheck.ABSENT;
        }
        if (!value.isTextual()) {
            return SignatureCheck.INVALID;
        }
        byte[] signed;
        try {
            signed = canonicalForSigning(json);
        } catch (MatrixFormatException e) {
            return SignatureCheck.INVALID;
        }
        return verifyBytes(signed, value.textValue(), key);
    }

    /** Checks one base64 signature over already canonicalised bytes (ABSENT is the caller's business). */
    static SignatureCheck verifyBytes(byte[] signed, String signatureBase64, Ed25519PublicKey key) {
        return SignatureMemo.check(signed, signatureBase64, key, () -> verifyNow(signed, signatureBase64, key));
    }

    private static SignatureCheck verifyNow(byte[] signed, String signatureBase64, Ed25519PublicKey key) {
        Ed25519Signature signature;
        try {
            signature = Ed25519Signature.parse(signatureBase64);
        } catch (CryptoInputException e) {
            return SignatureCheck.INVALID;
        }
        return key.verify(signed, signature) ? SignatureCheck.VALID : SignatureCheck.INVALID;
    }

    /**
     * Returns a copy of {@code json} signed as {@code entity} with {@code keyId}, keeping every
     * signature already there (a signature under the same entity and key id is replaced).
     */
    public static ObjectNode sign(ObjectNode json, String entity, String keyId, Ed25519KeyPair keyPair) {
        requireEd25519KeyId(keyId);
        Objects.requireNonNull(entity, "entity");
        String signature = keyPair.sign(canonicalForSigning(json)).toBase64();
        ObjectNode copy = json.deepCopy();
        JsonNode signatures = copy.get(SIGNATURES);
        ObjectNode signaturesObject = signatures instanceof ObjectNode o ? o : copy.putObject(SIGNATURES);
        JsonNode byEntity = signaturesObject.get(entity);
        ObjectNode entityObject = byEntity instanceof ObjectNode o ? o : signaturesObject.putObject(entity);
        entityObject.put(keyId, signature);
        return copy;
    }

    /** {@code "ed25519:" + key}: the key id of a cross-signing key, and how signatures by it are filed. */
    public static String keyIdOf(Ed25519PublicKey key) {
        return ED25519_PREFIX + key.toBase64();
    }

    private static void requireEd25519KeyId(String keyId) {
        if (keyId == null || !keyId.startsWith(ED25519_PREFIX) || keyId.length() == ED25519_PREFIX.length()) {
            throw new IllegalArgumentException("not an ed25519 key id: " + keyId);
        }
    }
}
