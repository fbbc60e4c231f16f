package io.keytrail.crypto.megolm;

import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;

/**
 * The unsigned v1 Megolm session export, 165 bytes: {@code 0x01 | u32 BE index | ratchet 128 | ed25519 key 32}.
 * Used by {@code m.forwarded_room_key}, key export files, key backups and room key bundles, and by
 * Keytrail to persist a session at its first known index.
 *
 * <p>Nothing authenticates it: a holder can put any ratchet next to a real session's signing key.
 * Compare it with a copy we already trust ({@link InboundGroupSession#compare}) before grafting it on.
 */
public final class ExportedSessionKey {
    public static final int VERSION = 1;
    public static final int LENGTH = SessionKeyFormat.BODY_LENGTH;
    private static final String WHAT = "exported Megolm session key (v1)";

    private final MegolmRatchet ratchet;
    private final Ed25519PublicKey signingKey;

    private ExportedSessionKey(MegolmRatchet ratchet, Ed25519PublicKey signingKey) {
        this.ratchet = ratchet;
        this.signingKey = signingKey;
    }

    public static ExportedSessionKey parse(String base64) {
        byte[] bytes = SessionKeyFormat.decode(base64, VERSION, LENGTH, WHAT);
        SessionKeyFormat.Body body = SessionKeyFormat.readBody(bytes, WHAT);
        return new ExportedSessionKey(body.ratchet(), body.signingKey());
    }

    static ExportedSessionKey of(MegolmRatchet ratchet, Ed25519PublicKey signingKey) {
        return new ExportedSessionKey(ratchet, signingKey);
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
        return UnpaddedBase64.encode(SessionKeyFormat.writeBody(VERSION, ratchet, signingKey, LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedSessionKey other && ratchet.equals(other.ratchet)
                && signingKey.equals(other.signingKey);
    }

    @Override
    public int hashCode() {
        return signingKey.hashCode() * 31 + Long.hashCode(index());
    }

    /** Session keys are secret: only the session id and index are shown. */
    @Override
    public String toString() {
        return "ExportedSessionKey[sessionId=" + sessionId() + ", index=" + index() + "]";
    }
}
