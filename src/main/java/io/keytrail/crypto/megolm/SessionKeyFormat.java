package io.keytrail.crypto.megolm;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The byte layout shared by the v2 {@link SessionKey} and the v1 {@link ExportedSessionKey}:
 * {@code version | u32 BE index | ratchet 128 | ed25519 public key 32} (reference §4.4).
 */
final class SessionKeyFormat {
    static final int BODY_LENGTH = 1 + 4 + MegolmRatchet.LENGTH + Ed25519PublicKey.LENGTH;
    private static final int RATCHET_OFFSET = 5;
    private static final int KEY_OFFSET = RATCHET_OFFSET + MegolmRatchet.LENGTH;

    /** What the fixed-size prefix of a session key decodes to. */
    record Body(MegolmRatchet ratchet, Ed25519PublicKey signingKey) {
    }

    private SessionKeyFormat() {
    }

    /** Decodes base64 and checks version and total length; {@code what} names the format in errors. */
    static byte[] decode(String base64, int version, int length, String what) {
        byte[] bytes;
        try {
            bytes = UnpaddedBase64.decode(base64);
        } catch (CryptoInputException e) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_SESSION_KEY,
                    what + " is not valid base64: " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_SESSION_KEY, what + " is empty");
        }
        int actual = bytes[0] & 0xFF;
        if (actual != version) {
            throw new MegolmException(MegolmException.Reason.UNSUPPORTED_VERSION,
                    what + " must start with version byte " + version + ", got " + actual + hint(actual));
        }
        if (bytes.length != length) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_SESSION_KEY,
                    what + " must be " + length + " bytes, got " + bytes.length + " (truncated or padded?)");
        }
        return bytes;
    }

    static Body readBody(byte[] bytes, String what) {
        long index = ((long) (bytes[1] & 0xFF) << 24) | ((bytes[2] & 0xFF) << 16)
                | ((bytes[3] & 0xFF) << 8) | (bytes[4] & 0xFF);
        byte[] ratchet = new byte[MegolmRatchet.LENGTH];
        System.arraycopy(bytes, RATCHET_OFFSET, ratchet, 0, ratchet.length);
        byte[] key = new byte[Ed25519PublicKey.LENGTH];
        System.arraycopy(bytes, KEY_OFFSET, key, 0, key.length);
        try {
            // Bouncy Castle decodes the point here; vodozemac also refuses keys that are not on the curve.
            new Ed25519PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException e) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_SESSION_KEY,
                    what + " carries a signing key that is not a valid Ed25519 public key", e);
        }
        return new Body(MegolmRatchet.of(index, ratchet), Ed25519PublicKey.fromBytes(key));
    }

    /** The first {@link #BODY_LENGTH} bytes of a session key of {@code version}. */
    static byte[] writeBody(int version, MegolmRatchet ratchet, Ed25519PublicKey signingKey, int totalLength) {
        byte[] out = new byte[totalLength];
        long index = ratchet.index();
        out[0] = (byte) version;
        out[1] = (byte) (index >>> 24);
        out[2] = (byte) (index >>> 16);
        out[3] = (byte) (index >>> 8);
        out[4] = (byte) index;
        System.arraycopy(ratchet.toBytes(), 0, out, RATCHET_OFFSET, MegolmRatchet.LENGTH);
        System.arraycopy(signingKey.toBytes(), 0, out, KEY_OFFSET, Ed25519PublicKey.LENGTH);
        return out;
    }

    private static String hint(int version) {
        return switch (version) {
            case ExportedSessionKey.VERSION -> " (this is an exported v1 session key, as found in forwarded keys,"
                    + " key exports and backups: parse it with ExportedSessionKey)";
            case SessionKey.VERSION -> " (this is a signed v2 session key from m.room_key: parse it with SessionKey)";
            default -> "";
        };
    }
}
