package io.keytrail.crypto;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A 32-byte Ed25519 public key. Only constructed by parsing, so an instance is always well formed. */
public final class Ed25519PublicKey extends FixedLengthBytes {
    public static final int LENGTH = 32;

    private Ed25519PublicKey(byte[] bytes) {
        super(bytes);
    }

    public static Ed25519PublicKey fromBytes(byte[] bytes) {
        return new Ed25519PublicKey(checkedCopy(bytes, LENGTH, "Ed25519 public key"));
    }

    public static Ed25519PublicKey parse(String base64) {
        return new Ed25519PublicKey(UnpaddedBase64.decodeExact(base64, LENGTH, "Ed25519 public key"));
    }

    /** True iff {@code signature} is a valid Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, Ed25519Signature signature) {
        Ed25519PublicKeyParameters params;
        try {
            params = new Ed25519PublicKeyParameters(raw(), 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature.toBytes());
    }
}
