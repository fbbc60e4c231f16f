package io.keytrail.crypto.megolm;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.Ed25519Signature;
import io.keytrail.crypto.UnpaddedBase64;

/**
 * The sending side of a Megolm session. Keytrail never sends room messages; this exists to build test
 * fixtures, example recordings and the {@code bench} command's workload (in main since the bench, ADR
 * 0016: it needs this package's cipher internals, which stay package-private). Mutable (each {@link #encrypt} advances the ratchet) and not
 * thread-safe.
 */
public final class OutboundGroupSession {
    private final Ed25519KeyPair signingKeyPair;
    private MegolmRatchet ratchet;

    private OutboundGroupSession(MegolmRatchet ratchet, Ed25519KeyPair signingKeyPair) {
        this.ratchet = ratchet;
        this.signingKeyPair = signingKeyPair;
    }

    /** A fresh session at index 0 with a random ratchet and signing key. */
    public static OutboundGroupSession create(SecureRandom random) {
        byte[] state = new byte[MegolmRatchet.LENGTH];
        random.nextBytes(state);
        return new OutboundGroupSession(MegolmRatchet.of(0, state), Ed25519KeyPair.generate(random));
    }

    /** A deterministic session at index 0 from 128 ratchet bytes and a 32-byte Ed25519 seed. */
    public static OutboundGroupSession fromSecrets(byte[] ratchetState, byte[] ed25519Seed) {
        return fromSecrets(MegolmRatchet.of(0, ratchetState), Ed25519KeyPair.fromSeed(ed25519Seed));
    }

    /** A deterministic session continuing from {@code ratchet} (at any index). */
    public static OutboundGroupSession fromSecrets(MegolmRatchet ratchet, Ed25519KeyPair signingKeyPair) {
        return new OutboundGroupSession(ratchet, signingKeyPair);
    }

    public String sessionId() {
        return signingKeyPair.publicKey().toBase64();
    }

    public Ed25519PublicKey signingKey() {
        return signingKeyPair.publicKey();
    }

    /** The index the next {@link #encrypt} will use. */
    public long messageIndex() {
        return ratchet.index();
    }

    /** The signed v2 session key at the current index, as shared in {@code m.room_key}. */
    public SessionKey sessionKey() {
        return SessionKey.sign(ratchet, signingKeyPair);
    }

    /** Encrypts at the current index into a v3 message (unpadded base64) and advances the ratchet. */
    public String encrypt(String plaintextUtf8) {
        return encrypt(plaintextUtf8.getBytes(StandardCharsets.UTF_8));
    }

    public String encrypt(byte[] plaintext) {
        MegolmCipher.MessageKeys keys = MegolmCipher.deriveKeys(ratchet);
        byte[] message = MegolmMessage.encodeUnauthenticated(ratchet.index(), MegolmCipher.encrypt(keys, plaintext));
        int macAt = message.length - MegolmMessage.SUFFIX_LENGTH;
        int sigAt = message.length - Ed25519Signature.LENGTH;
        byte[] beforeMac = Arrays.copyOf(message, macAt);
        System.arraycopy(MegolmCipher.truncatedMac(keys, beforeMac), 0, message, macAt, MegolmMessage.MAC_LENGTH);
        byte[] beforeSignature = Arrays.copyOf(message, sigAt);
        System.arraycopy(signingKeyPair.sign(beforeSignature).toBytes(), 0, message, sigAt, Ed25519Signature.LENGTH);
        ratchet = ratchet.advance();
        return UnpaddedBase64.encode(message);
    }

    @Override
    public String toString() {
        return "OutboundGroupSession[sessionId=" + sessionId() + ", messageIndex=" + messageIndex() + "]";
    }
}
