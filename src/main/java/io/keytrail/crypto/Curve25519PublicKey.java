package io.keytrail.crypto;

import java.util.Arrays;

/** A 32-byte Curve25519 (X25519) public key, such as a device identity key or an Olm sender key. */
public final class Curve25519PublicKey {
    public static final int LENGTH = 32;
    private final byte[] bytes;

    private Curve25519PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Curve25519PublicKey fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new CryptoInputException("Curve25519 public key must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new Curve25519PublicKey(bytes.clone());
    }

    public static Curve25519PublicKey parse(String base64) {
        return new Curve25519PublicKey(UnpaddedBase64.decodeExact(base64, LENGTH, "Curve25519 public key"));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return UnpaddedBase64.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Curve25519PublicKey other && Arrays.equals(bytes, other.bytes);
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
