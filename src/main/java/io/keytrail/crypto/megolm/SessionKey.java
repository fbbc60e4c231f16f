package io.keytrail.crypto.megolm;

import java.util.Arrays;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.Ed25519Signature;
import io.keytrail.crypto.UnpaddedBase64;

/**
 * The signed v2 Megolm session key carried by {@code m.room_key}, 229 bytes:
 * {@code 0x02 | u32 BE index | ratchet 128 | ed25519 key 32 | signature 64 over the first 165 bytes}.
 *
 * <p>Only constructed by parsing (which verifies the embedded signature) or by signing, so an instance
 * is always internally consistent. The signature proves integrity only: whoever holds the session's
 * private key made it, which says nothing about which device that is.
 */
public final class SessionKey {
    public static final int VERSION = 2;
    public static final int LENGTH = SessionKeyFormat.BODY_LENGTH + Ed25519Signature.LENGTH;
    private static final String WHAT = "Megolm session key (v2)";

    private final MegolmRatchet ratchet;
    private final Ed25519PublicKey signingKey;
    private final Ed25519Signature signature;

    private SessionKey(MegolmRatchet ratchet, Ed25519PublicKey signingKey, Ed25519Signature signature) {
        this.ratchet = ratchet;
        this.signingKey = signingKey;
        this.signature = signature;
    }

    /** Parses unpadded (or padded) base64 and verifies the embedded signature with the embedded key. */
    public static SessionKey parse(String base64) {
        byte[] bytes = SessionKeyFormat.decode(base64, VERSION, LENGTH, WHAT);
        SessionKeyFormat.Body body = SessionKeyFormat.readBody(bytes, WHAT);
        Ed25519Signature signature = Ed25519Signature.fromBytes(
                Arrays.copyOfRange(bytes, SessionKeyFormat.BODY_LENGTH, LENGTH));
        byte[] signed = Arrays.copyOf(bytes, SessionKeyFormat.BODY_LENGTH);
        if (!body.signingKey().verify(signed, signature)) {
            throw new MegolmException(MegolmException.Reason.BAD_SESSION_KEY_SIGNATURE,
                    WHAT + " for session " + body.signingKey() + " is not signed by its own signing key:"
                            + " it was corrupted or tampered with; discard it");
        }
        return new SessionKey(body.ratchet(), body.signingKey(), signature);
    }

    /** Signs {@code ratchet} with the session's private key (used by {@link OutboundGroupSession}). */
    static SessionKey sign(MegolmRatchet ratchet, Ed25519KeyPair signingKeyPair) {
        byte[] body = SessionKeyFormat.writeBody(VERSION, ratchet, signingKeyPair.publicKey(),
                SessionKeyFormat.BODY_LENGTH);
        return new SessionKey(ratchet, signingKeyPair.publicKey(), signingKeyPair.sign(body));
    }

    public long index() {
        return ratchet.index();
    }

    public MegolmRatchet ratchet() {
        return ratchet;
    }

    public Ed25519PublicKey signingKey() {
        return signingKey;
    }

    /** The Megolm session id: unpadded base64 of the signing key. */
    public String sessionId() {
        return signingKey.toBase64();
    }

    public String toBase64() {
        byte[] out = SessionKeyFormat.writeBody(VERSION, ratchet, signingKey, LENGTH);
        System.arraycopy(signature.toBytes(), 0, out, SessionKeyFormat.BODY_LENGTH, Ed25519Signature.LENGTH);
        return UnpaddedBase64.encode(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey other && ratchet.equals(other.ratchet)
                && signingKey.equals(other.signingKey) && signature.equals(other.signature);
    }

    @Override
    public int hashCode() {
        return signingKey.hashCode() * 31 + Long.hashCode(index());
    }

    /** Session keys are secret: only the session id and index are shown. */
    @Override
    public String toString() {
        return "SessionKey[sessionId=" + sessionId() + ", index=" + index() + "]";
    }
}
