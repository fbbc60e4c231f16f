package io.keytrail.matrix;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;

/** Shape checks shared by the parsers; each failure names the field, in {@code what.field} form. */
final class Fields {
    private Fields() {
    }

    static ObjectNode object(JsonNode node, String what) {
        if (!(node instanceof ObjectNode object)) {
            throw new MatrixFormatException(what + " must be a JSON object, got " + MatrixJson.describe(node));
        }
        return object;
    }

    static ObjectNode object(ObjectNode parent, String field, String what) {
        return object(required(parent, field, what), what + "." + field);
    }

    static String string(ObjectNode parent, String field, String what) {
        JsonNode node = required(parent, field, what);
        if (!node.isTextual()) {
            throw new MatrixFormatException(what + "." + field + " must be a string, got " + MatrixJson.describe(node));
        }
        if (node.textValue().isEmpty()) {
            throw new MatrixFormatException(what + "." + field + " must not be empty");
        }
        return node.textValue();
    }

    /** A room, user, event or device id: a non-empty string of at most {@link Bounds#MAX_ID_BYTES} bytes. */
    static String id(ObjectNode parent, String field, String what) {
        return Bounds.id(string(parent, field, what), what + "." + field);
    }

    static JsonNode required(ObjectNode parent, String field, String what) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new MatrixFormatException(what + "." + field + " is missing");
        }
        return node;
    }

    static Ed25519PublicKey ed25519(ObjectNode parent, String field, String what) {
        String text = string(parent, field, what);
        try {
            return Ed25519PublicKey.parse(text);
        } catch (CryptoInputException e) {
            throw new MatrixFormatException(what + "." + field + ": " + e.getMessage(), e);
        }
    }

    static Curve25519PublicKey curve25519(ObjectNode parent, String field, String what) {
        String text = string(parent, field, what);
        try {
            return Curve25519PublicKey.parse(text);
        } catch (CryptoInputException e) {
            throw new MatrixFormatException(what + "." + field + ": " + e.getMessage(), e);
        }
    }

    /** {@code signatures}: an object of signers, each an object of key id to string signature. */
    static void signaturesShape(JsonNode signatures, String what) {
        ObjectNode bySigner = object(signatures, what + ".signatures");
        for (Map.Entry<String, JsonNode> signer : bySigner.properties()) {
            String signerWhat = what + ".signatures." + Bounds.shorten(signer.getKey());
            ObjectNode byKeyId = object(signer.getValue(), signerWhat);
            for (Map.Entry<String, JsonNode> sig : byKeyId.properties()) {
                if (!sig.getValue().isTextual()) {
                    throw new MatrixFormatException(signerWhat + "." + Bounds.shorten(sig.getKey()) + " must be a string, got "
                            + MatrixJson.describe(sig.getValue()));
                }
            }
        }
    }

    /** The bytes signatures cover, or a format error: an object that cannot be canonicalised cannot be signed. */
    static byte[] signedBytes(ObjectNode json, String what) {
        try {
            return SignedJson.canonicalForSigning(json);
        } catch (MatrixFormatException e) {
            throw new MatrixFormatException(what + " cannot be signed: " + e.getMessage(), e);
        }
    }

    /** Like {@link SignedJson#verify} but over bytes already canonicalised at parse time. */
    static SignatureCheck signature(ObjectNode json, byte[] signedBytes, String entity, String keyId,
                                    Ed25519PublicKey key) {
        JsonNode value = json.path(SignedJson.SIGNATURES).path(entity).path(keyId);
        if (value.isMissingNode()) {
            return SignatureCheck.ABSENT;
        }
        if (!value.isTextual()) {
            return SignatureCheck.INVALID;
        }
        return SignedJson.verifyBytes(signedBytes, value.textValue(), key);
    }
}
