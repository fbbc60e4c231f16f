package io.keytrail.crypto;

/** A 64-byte Ed25519 signature. */
public final class Ed25519Signature extends FixedLengthBytes {
    public static final int LENGTH = 64;

    private Ed25519Signature(byte[] bytes) {
        super(bytes);
    }

    public static Ed25519Signature fromBytes(byte[] bytes) {
        return new Ed25519Signature(checkedCopy(bytes, LENGTH, "Ed25519 signature"));
    }

    public static Ed25519Signature parse(String base64) {
        return new Ed25519Signature(UnpaddedBase64.decodeExact(base64, LENGTH, "Ed25519 signature"));
    }
}
