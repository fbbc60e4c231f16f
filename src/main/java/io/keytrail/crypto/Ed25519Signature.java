package io.keytrail.crypto;

import java.util.Arrays;

/** A 64-byte Ed25519 signature. */
public final class Ed25519Signature {
    public static final int LENGTH = 64;
    private final byte[] bytes;

    private Ed25519Signature(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Ed25519Signature fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new CryptoInputException("Ed25519 signature must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new Ed25519Signature(bytes.clone());
    }

    public static Ed25519Signature parse(String base64) {
        return new Ed25519Signature(UnpaddedBase64.decodeExact(base64, LENGTH, "Ed25519 signature"));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return UnpaddedBase64.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519Signature other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
