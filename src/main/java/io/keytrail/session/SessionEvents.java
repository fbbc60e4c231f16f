package io.keytrail.session;

import org.axonframework.serialization.Revision;

import io.keytrail.trust.SenderData;

/**
 * Events of the {@link MegolmSession} aggregate: every event that decides or changes sender data
 * carries the rule that fired and its evidence. Immutable and versioned: evolve with upcasters.
 * Session keys only ever appear sealed ({@link SessionKeyVault}).
 */
public final class SessionEvents {
    private SessionEvents() {
    }

    /** A room key created (or, whole, replaced) our copy of the session, with the decision made on arrival. */
    @Revision("1")
    public record SessionReceived(String roomId, String sessionId, String sender, String senderKey,
                                  String claimedEd25519, boolean sharedHistory, long firstKnownIndex,
                                  String sealedSessionKey, SenderData senderData, String rule,
                                  DecisionEvidence evidence) {
    }

    /**
     * A session imported from an export file, a key backup or a forward. {@code claimedSenderKey},
     * {@code claimedEd25519} and {@code forwardingChain} are claims nobody authenticated, recorded as such.
     */
    @Revision("1")
    public record SessionImported(String roomId, String sessionId, String source, String claimedSenderKey,
                                  String claimedEd25519, java.util.List<String> forwardingChain, boolean sharedHistory,
                                  long firstKnownIndex, String sealedSessionKey, SenderData senderData, String rule) {
    }

    /** Sender data moved (up in rank) because of new evidence. */
    @Revision("1")
    public record SenderDataChanged(String roomId, String sessionId, SenderData previous, SenderData current,
                                    String rule, String trigger, DecisionEvidence evidence) {
    }

    /** The session can no longer be trusted at all (tampering or a proven key mismatch). */
    @Revision("1")
    public record SessionDiscarded(String roomId, String sessionId, String reason, String rule, String detail,
                                   DecisionEvidence evidence) {
    }

    /** A copy that starts at an earlier message index was grafted on; sender data unchanged. */
    @Revision("1")
    public record RatchetImproved(String roomId, String sessionId, long firstKnownIndex, String sealedSessionKey) {
    }

    /** A copy of the session was refused (not the same session, or its keys contradict): suspicious. */
    @Revision("1")
    public record SessionCopyRefused(String roomId, String sessionId, String code, String detail, String sender,
                                     String senderKey, String claimedEd25519) {
    }

    /** A copy of the session arrived that adds nothing (same or worse ratchet, no more trust). */
    @Revision("1")
    public record SessionCopyKept(String roomId, String sessionId, String ratchet, SenderData offered) {
    }

    /** A room key for a session we do not hold was refused; nothing usable was stored. */
    @Revision("1")
    public record RoomKeyRefused(String roomId, String sessionId, String sender, String senderKey, String code,
                                 String detail, DecisionEvidence evidence) {
    }
}
