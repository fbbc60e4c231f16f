package io.keytrail.crypto.megolm;

import java.util.Arrays;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Ed25519Signature;
import io.keytrail.crypto.UnpaddedBase64;

/**
 * A version 3 Megolm message, the decoded {@code ciphertext} of an {@code m.room.encrypted} event
 * (reference §4.3):
 * <pre>0x03 | payload (protobuf: 1 = message index varint, 2 = ciphertext bytes) | MAC 8 | SIG 64</pre>
 * The MAC covers everything before it (version byte included); the signature covers everything before
 * it (MAC included). Parsing checks structure only; {@link InboundGroupSession#decrypt} authenticates.
 */
public final class MegolmMessage {
    public static final int VERSION = 3;
    static final int MAC_LENGTH = 8;
    static final int SUFFIX_LENGTH = MAC_LENGTH + Ed25519Signature.LENGTH;
    /** Version byte, suffix and at least one payload byte, as vodozemac requires. */
    private static final int MIN_LENGTH = 1 + 1 + SUFFIX_LENGTH;
    private static final int MAX_VARINT_BYTES = 10;
    private static final int FIELD_INDEX = 1;
    private static final int FIELD_CIPHERTEXT = 2;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_BYTES = 2;
    private static final int WIRE_FIXED32 = 5;

    private final byte[] bytes;
    private final long messageIndex;
    private final byte[] ciphertext;

    private MegolmMessage(byte[] bytes, long messageIndex, byte[] ciphertext) {
        this.bytes = bytes;
        this.messageIndex = messageIndex;
        this.ciphertext = ciphertext;
    }

    /** Parses the unpadded (or padded) base64 {@code ciphertext} field of a Megolm event. */
    public static MegolmMessage parse(String base64) {
        byte[] bytes;
        try {
            bytes = UnpaddedBase64.decode(base64);
        } catch (CryptoInputException e) {
            throw malformed("the ciphertext is not valid base64: " + e.getMessage());
        }
        return fromBytes(bytes);
    }

    public static MegolmMessage fromBytes(byte[] input) {
        if (input == null || input.length == 0) {
            throw malformed("the message is empty");
        }
        byte[] bytes = input.clone();
        int version = bytes[0] & 0xFF;
        if (version != VERSION) {
            throw new MegolmException(MegolmException.Reason.UNSUPPORTED_VERSION,
                    "Megolm message version " + version + " is not supported (only version " + VERSION + ")");
        }
        if (bytes.length < MIN_LENGTH) {
            throw malformed("the message is " + bytes.length + " bytes, shorter than the minimum " + MIN_LENGTH
                    + " (version, payload, 8-byte MAC, 64-byte signature): truncated?");
        }
        return decodePayload(bytes, 1, bytes.length - SUFFIX_LENGTH);
    }

    /** Builds and serialises a message; the MAC and signature slots are filled by the caller. */
    static byte[] encodeUnauthenticated(long messageIndex, byte[] ciphertext) {
        byte[] index = varint(messageIndex);
        byte[] length = varint(ciphertext.length);
        int payload = 1 + index.length + 1 + length.length + ciphertext.length;
        byte[] out = new byte[1 + payload + SUFFIX_LENGTH];
        int p = 0;
        out[p++] = VERSION;
        // The index is written even when it is 0: receivers expect the field (prost would drop it).
        out[p++] = (byte) (FIELD_INDEX << 3 | WIRE_VARINT);
        System.arraycopy(index, 0, out, p, index.length);
        p += index.length;
        out[p++] = (byte) (FIELD_CIPHERTEXT << 3 | WIRE_BYTES);
        System.arraycopy(length, 0, out, p, length.length);
        p += length.length;
        System.arraycopy(ciphertext, 0, out, p, ciphertext.length);
        return out;
    }

    private static MegolmMessage decodePayload(byte[] bytes, int start, int end) {
        ProtobufReader in = new ProtobufReader(bytes, start, end);
        Long index = null;
        byte[] ciphertext = null;
        while (in.hasMore()) {
            long key = in.varint();
            long field = key >>> 3;
            int wireType = (int) (key & 7);
            if (field == 0 || field > 0x1FFF_FFFFL) {
                throw malformed("protobuf field number " + field + " is invalid");
            }
            if (field == FIELD_INDEX) {
                expectWireType(field, wireType, WIRE_VARINT);
                long value = in.varint();
                if (value < 0 || value > MegolmRatchet.MAX_INDEX) {
                    throw malformed("the message index " + Long.toUnsignedString(value) + " does not fit in 32 bits");
                }
                index = value; // protobuf semantics: the last occurrence wins
            } else if (field == FIELD_CIPHERTEXT) {
                expectWireType(field, wireType, WIRE_BYTES);
                ciphertext = in.lengthDelimited();
            } else {
                in.skip(field, wireType);
            }
        }
        if (index == null) {
            throw malformed("the payload has no message index (protobuf field 1)");
        }
        if (ciphertext == null) {
            throw malformed("the payload has no ciphertext (protobuf field 2)");
        }
        return new MegolmMessage(bytes, index, ciphertext);
    }

    private static void expectWireType(long field, int actual, int expected) {
        if (actual != expected) {
            throw malformed("protobuf field " + field + " has wire type " + actual + ", expected " + expected);
        }
    }

    /** Reads protobuf wire data from {@code bytes[pos, end)}; never reads past {@code end}. */
    private static final class ProtobufReader {
        private final byte[] bytes;
        private final int end;
        private int pos;

        ProtobufReader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.pos = start;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        /** A base-128 varint; one that runs past the payload or past 64 bits is refused. */
        long varint() {
            long value = 0;
            for (int i = 0; i < MAX_VARINT_BYTES; i++) {
                if (pos >= end) {
                    throw malformed("a protobuf varint is truncated");
                }
                int b = bytes[pos++] & 0xFF;
                if (i == MAX_VARINT_BYTES - 1 && b > 1) {
                    throw malformed("a protobuf varint overflows 64 bits");
                }
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed("a protobuf varint is longer than 10 bytes");
        }

        byte[] lengthDelimited() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw malformed("a length-delimited protobuf field claims " + Long.toUnsignedString(length)
                        + " bytes but only " + (end - pos) + " remain before the MAC: truncated?");
            }
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + (int) length);
            pos += (int) length;
            return out;
        }

        void skip(long field, int wireType) {
            switch (wireType) {
                case WIRE_VARINT -> varint();
                case WIRE_BYTES -> lengthDelimited();
                case WIRE_FIXED64, WIRE_FIXED32 -> {
                    int width = wireType == WIRE_FIXED64 ? 8 : 4;
                    if (end - pos < width) {
                        throw malformed("unknown protobuf field " + field + " is truncated");
                    }
                    pos += width;
                }
                default -> throw malformed("unknown protobuf field " + field + " has unsupported wire type " + wireType);
            }
        }
    }

    static byte[] varint(long value) {
        byte[] buf = new byte[MAX_VARINT_BYTES];
        int n = 0;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
        return Arrays.copyOf(buf, n);
    }

    private static MegolmException malformed(String why) {
        return new MegolmException(MegolmException.Reason.MALFORMED_MESSAGE, "malformed Megolm message: " + why);
    }

    public long messageIndex() {
        return messageIndex;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** The whole message as received. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return UnpaddedBase64.encode(bytes);
    }

    /** Bytes covered by the MAC: everything before it. */
    byte[] macInput() {
        return Arrays.copyOf(bytes, bytes.length - SUFFIX_LENGTH);
    }

    byte[] mac() {
        return Arrays.copyOfRange(bytes, bytes.length - SUFFIX_LENGTH, bytes.length - Ed25519Signature.LENGTH);
    }

    /** Bytes covered by the signature: everything before it, MAC included. */
    byte[] signatureInput() {
        return Arrays.copyOf(bytes, bytes.length - Ed25519Signature.LENGTH);
    }

    Ed25519Signature signature() {
        return Ed25519Signature.fromBytes(Arrays.copyOfRange(bytes, bytes.length - Ed25519Signature.LENGTH, bytes.length));
    }

    @Override
    public String toString() {
        return "MegolmMessage[index=" + messageIndex + ", ciphertextLength=" + ciphertext.length + "]";
    }
}
