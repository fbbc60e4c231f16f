package io.keytrail.crypto.megolm;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.keytrail.crypto.Ed25519PublicKey;

/**
 * A receiver's copy of a Megolm session: the ratchet at the first index we can decrypt, the session's
 * Ed25519 signing key and whether that key was proven by a signed v2 session key (vodozemac's
 * {@code signing_key_verified}). Immutable: decrypting advances a copy, never the stored ratchet.
 *
 * <p>Persist it as {@link #exportAtFirstKnownIndex()} plus {@link #signingKeyVerified()} and reload it
 * with {@link #restore}; the round trip is exact.
 */
public final class InboundGroupSession {
    private final MegolmRatchet initialRatchet;
    private final Ed25519PublicKey signingKey;
    private final boolean signingKeyVerified;

    private InboundGroupSession(MegolmRatchet initialRatchet, Ed25519PublicKey signingKey, boolean signingKeyVerified) {
        this.initialRatchet = initialRatchet;
        this.signingKey = signingKey;
        this.signingKeyVerified = signingKeyVerified;
    }

    /** From an {@code m.room_key}: the key's own signature verified when it was parsed. */
    public static InboundGroupSession fromSessionKey(SessionKey key) {
        return new InboundGroupSession(key.ratchet(), key.signingKey(), true);
    }

    /** From a forwarded key, key export, backup or bundle: nothing proves the signing key. */
    public static InboundGroupSession fromExport(ExportedSessionKey export) {
        return new InboundGroupSession(export.ratchet(), export.signingKey(), false);
    }

    /**
     * Reloads a session this engine persisted itself. Only for our own stored state: a key from
     * anywhere else must go through {@link #fromSessionKey} or {@link #fromExport}.
     */
    public static InboundGroupSession restore(ExportedSessionKey persisted, boolean signingKeyVerified) {
        return new InboundGroupSession(persisted.ratchet(), persisted.signingKey(), signingKeyVerified);
    }

    /** The Megolm session id: unpadded base64 of the signing key. */
    public String sessionId() {
        return signingKey.toBase64();
    }

    public Ed25519PublicKey signingKey() {
        return signingKey;
    }

    public long firstKnownIndex() {
        return initialRatchet.index();
    }

    public boolean signingKeyVerified() {
        return signingKeyVerified;
    }

    /** An unsigned export that can decrypt from {@code index} on; earlier indices cannot be exported. */
    public ExportedSessionKey exportAt(long index) {
        if (index < firstKnownIndex() || index > MegolmRatchet.MAX_INDEX) {
            throw new MegolmException(MegolmException.Reason.UNKNOWN_MESSAGE_INDEX, "cannot export session "
                    + sessionId() + " at index " + index + ": it is only known from index " + firstKnownIndex()
                    + " up to 2^32-1 (a ratchet cannot go backwards)");
        }
        return ExportedSessionKey.of(initialRatchet.advanceTo(index), signingKey);
    }

    public ExportedSessionKey exportAtFirstKnownIndex() {
        return ExportedSessionKey.of(initialRatchet, signingKey);
    }

    public DecryptedMessage decrypt(String ciphertextBase64) {
        return decrypt(MegolmMessage.parse(ciphertextBase64));
    }

    /**
     * Decrypts as vodozemac does: signature first (over everything before it), then the index check,
     * then the truncated MAC in constant time, then AES-CBC. Each failure has its own reason.
     */
    public DecryptedMessage decrypt(MegolmMessage message) {
        return decrypt(message, null);
    }

    /** A new {@link Cursor} on this session, starting at its first known index. */
    public Cursor cursor() {
        return new Cursor(this);
    }

    /**
     * Decrypts messages of one session while remembering the ratchet of the furthest message decrypted
     * so far, as vodozemac keeps its latest ratchet: a later message advances from there, not from the
     * first known index (one HMAC per step: about a hundred per message at index 100, more than its
     * Ed25519 check, docs/performance.md). An earlier message still starts from the first known index.
     * The answers are exactly {@link InboundGroupSession#decrypt}'s; the session stays immutable.
     * Thread-safe: concurrent decryptions may each start from the ratchet the other left.
     */
    public static final class Cursor {
        private final InboundGroupSession session;
        private final AtomicReference<MegolmRatchet> furthest;

        private Cursor(InboundGroupSession session) {
            this.session = session;
            this.furthest = new AtomicReference<>(session.initialRatchet);
        }

        public InboundGroupSession session() {
            return session;
        }

        public DecryptedMessage decrypt(String ciphertextBase64) {
            return session.decrypt(MegolmMessage.parse(ciphertextBase64), furthest);
        }

        /** The secret ratchet is never shown. */
        @Override
        public String toString() {
            return "Cursor[" + session + "]";
        }
    }

    /** With a cursor's furthest ratchet when there is one; only an authenticated message moves it. */
    private DecryptedMessage decrypt(MegolmMessage message, AtomicReference<MegolmRatchet> furthest) {
        if (!signingKey.verify(message.signatureInput(), message.signature())) {
            throw new MegolmException(MegolmException.Reason.BAD_SIGNATURE, "the Megolm message at index "
                    + message.messageIndex() + " is not signed by session " + sessionId()
                    + ": it was tampered with or belongs to another session");
        }
        if (message.messageIndex() < firstKnownIndex()) {
            throw new MegolmException(MegolmException.Reason.UNKNOWN_MESSAGE_INDEX, "the Megolm message is at index "
                    + message.messageIndex() + " but session " + sessionId() + " is only known from index "
                    + firstKnownIndex() + ": request an earlier copy of the key");
        }
        MegolmRatchet start = initialRatchet;
        if (furthest != null) {
            MegolmRatchet known = furthest.get();
            // Both indexes are unsigned 32-bit values held in longs: an ordinary comparison is right.
            if (known.index() <= message.messageIndex()) {
                start = known;
            }
        }
        MegolmRatchet ratchet = start.advanceTo(message.messageIndex());
        MegolmCipher.MessageKeys keys = MegolmCipher.deriveKeys(ratchet);
        if (!MegolmCipher.macMatches(keys, message.macInput(), message.mac())) {
            throw new MegolmException(MegolmException.Reason.BAD_MAC, "the MAC of the Megolm message at index "
                    + message.messageIndex() + " of session " + sessionId()
                    + " does not match: the message was altered, or the session key is not the sender's");
        }
        if (furthest != null) {
            furthest.accumulateAndGet(ratchet, (known, reached) -> reached.index() > known.index() ? reached : known);
        }
        return new DecryptedMessage(message.messageIndex(), MegolmCipher.decrypt(keys, message.ciphertext()));
    }

    /**
     * How this copy relates to {@code other} ({@code received.compare(stored)} says whether the received
     * copy is better). Copies with different signing keys, or whose ratchets do not derive from each
     * other, are {@link RatchetComparison#UNCONNECTED}: an unsigned export can pair any ratchet with a
     * real session id, and only this check exposes it.
     */
    public RatchetComparison compare(InboundGroupSession other) {
        if (!signingKey.equals(other.signingKey)) {
            return RatchetComparison.UNCONNECTED;
        }
        long mine = firstKnownIndex();
        long theirs = other.firstKnownIndex();
        MegolmRatchet lower = mine <= theirs ? initialRatchet : other.initialRatchet;
        MegolmRatchet higher = mine <= theirs ? other.initialRatchet : initialRatchet;
        // lower.index() <= higher.index(), so advanceTo never wraps here.
        if (!lower.advanceTo(higher.index()).sameAs(higher)) {
            return RatchetComparison.UNCONNECTED;
        }
        if (mine == theirs) {
            return RatchetComparison.EQUAL;
        }
        return mine < theirs ? RatchetComparison.BETTER : RatchetComparison.WORSE;
    }

    /**
     * The union of two copies of one session: the better (earlier) ratchet, and a signing key counted
     * as verified if either copy verified it. Empty when the copies are {@code UNCONNECTED}: the
     * caller must then keep its copy and record the conflict.
     */
    public Optional<InboundGroupSession> merge(InboundGroupSession other) {
        MegolmRatchet best = switch (compare(other)) {
            case BETTER, EQUAL -> initialRatchet;
            case WORSE -> other.initialRatchet;
            case UNCONNECTED -> null;
        };
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new InboundGroupSession(best, signingKey, signingKeyVerified || other.signingKeyVerified));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundGroupSession other && initialRatchet.equals(other.initialRatchet)
                && signingKey.equals(other.signingKey) && signingKeyVerified == other.signingKeyVerified;
    }

    @Override
    public int hashCode() {
        return signingKey.hashCode() * 31 + Long.hashCode(firstKnownIndex());
    }

    /** Session keys are secret: only the id, first index and flag are shown. */
    @Override
    public String toString() {
        return "InboundGroupSession[sessionId=" + sessionId() + ", firstKnownIndex=" + firstKnownIndex()
                + ", signingKeyVerified=" + signingKeyVerified + "]";
    }
}
