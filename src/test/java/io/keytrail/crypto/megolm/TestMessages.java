package io.keytrail.crypto.megolm;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.UnpaddedBase64;

/** Builds hand-made v3 messages with a valid MAC and signature, to test the decoder on odd payloads. */
final class TestMessages {
    static final byte[] SEED = "test-signing-seed-for-megolm-001".getBytes();
    static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(SEED);
    static final byte[] STATE = new byte[MegolmRatchet.LENGTH];

    static {
        for (int i = 0; i < STATE.length; i++) {
            STATE[i] = (byte) (i * 7 + 3);
        }
    }

    private TestMessages() {
    }

    static InboundGroupSession inbound() {
        return InboundGroupSession.fromSessionKey(
                OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, STATE), KEY).sessionKey());
    }

    /** Ciphertext of {@code plaintext} under the keys of {@code index} (PKCS#7 padded). */
    static byte[] ciphertext(long index, byte[] plaintext) {
        return MegolmCipher.encrypt(keys(index), plaintext);
    }

    static MegolmCipher.MessageKeys keys(long index) {
        return MegolmCipher.deriveKeys(MegolmRatchet.of(0, STATE).advanceTo(index));
    }

    /** {@code 0x03 | payload | MAC | SIG}, MAC'd with the keys of {@code macIndex} and signed by {@link #KEY}. */
    static String seal(long macIndex, byte[] payload) {
        byte[] beforeMac = concat(new byte[] {MegolmMessage.VERSION}, payload);
        byte[] withMac = concat(beforeMac, MegolmCipher.truncatedMac(keys(macIndex), beforeMac));
        return UnpaddedBase64.encode(concat(withMac, KEY.sign(withMac).toBytes()));
    }

    /** Protobuf bytes-field: {@code tag | varint(len) | data}. */
    static byte[] bytesField(int field, byte[] data) {
        return concat(MegolmMessage.varint(field << 3 | 2), MegolmMessage.varint(data.length), data);
    }

    /** Protobuf varint field: {@code tag | varint(value)}. */
    static byte[] varintField(int field, long value) {
        return concat(MegolmMessage.varint(field << 3), MegolmMessage.varint(value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The base64 message with the byte at {@code offset} (negative: from the end) XORed with 1. */
    static String flipByte(String base64, int offset) {
        byte[] bytes = UnpaddedBase64.decode(base64);
        int at = offset < 0 ? bytes.length + offset : offset;
        bytes[at] ^= 1;
        return UnpaddedBase64.encode(bytes);
    }

    /** Flips a byte before the signature (negative offset: from the start of the signature) and re-signs. */
    static String flipAndResign(String base64, int offsetBeforeSignature) {
        byte[] bytes = UnpaddedBase64.decode(base64);
        byte[] signed = Arrays.copyOf(bytes, bytes.length - 64);
        int at = offsetBeforeSignature < 0 ? signed.length + offsetBeforeSignature : offsetBeforeSignature;
        signed[at] ^= 1;
        return UnpaddedBase64.encode(concat(signed, KEY.sign(signed).toBytes()));
    }

    static String truncate(String base64, int dropFromEnd) {
        byte[] bytes = UnpaddedBase64.decode(base64);
        return UnpaddedBase64.encode(Arrays.copyOf(bytes, bytes.length - dropFromEnd));
    }
}
