package io.keytrail.crypto;

/** A 32-byte Curve25519 (X25519) public key, such as a device identity key or an Olm sender key. */
public final class Curve25519PublicKey extends FixedLengthBytes {
    public static final int LENGTH = 32;

    private Curve25519PublicKey(byte[] bytes) {
        super(bytes);
    }

    public static Curve25519PublicKey fromBytes(byte[] bytes) {
        return new Curve25519PublicKey(checkedCopy(bytes, LENGTH, "Curve25519 public key"));
    }

    public static Curve25519PublicKey parse(String base64) {
        return new Curve25519PublicKey(UnpaddedBase64.decodeExact(base64, LENGTH, "Curve25519 public key"));
    }
}
