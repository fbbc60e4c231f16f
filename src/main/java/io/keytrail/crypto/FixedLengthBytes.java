package io.keytrail.crypto;

import java.util.Arrays;

/**
 * A key or signature of a fixed length, compared by value and written as unpadded base64. The bytes
 * never leave an instance except as a copy, so a value cannot change after it was parsed.
 */
abstract class FixedLengthBytes {
    private final byte[] bytes;

    FixedLengthBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    static byte[] checkedCopy(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new CryptoInputException(what + " must be " + length + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return bytes.clone();
    }

    /** The bytes themselves, for subclasses that must hand them to a library without a copy. */
    final byte[] raw() {
        return bytes;
    }

    public final byte[] toBytes() {
        return bytes.clone();
    }

    public final String toBase64() {
        return UnpaddedBase64.encode(bytes);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((FixedLengthBytes) o).bytes);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
