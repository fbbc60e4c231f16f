package io.keytrail.session;

import org.axonframework.serialization.Revision;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.errors.RefusalCode;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Events of the {@link MegolmSession} aggregate: every event that decides or changes sender data
 * carries the rule that fired and its evidence. Immutable and versioned: evolve with upcasters.
 * Session keys only ever appear sealed ({@link SessionKeyVault}). Rules, triggers, sources and refusal
 * codes are enums stored by name, so the stored JSON is the same as when they were strings (the golden
 * files under {@code src/test/resources/events} prove it).
 */
public final class SessionEvents {
    private SessionEvents() {
    }

    /** A room key created (or, whole, replaced) our copy of the session, with the decision made on arrival. */
    @Revision("1")
    public record SessionReceived(String roomId, String sessionId, String sender, String senderKey,
                                  String claimedEd25519, boolean sharedHistory, long firstKnownIndex,
                                  String sealedSessionKey, SenderData senderData, Rule rule,
                                  DecisionEvidence evidence) {
    }

    /**
     * A session imported from an export file, a key backup or a forward. {@code claimedSenderKey},
     * {@code claimedEd25519} and {@code forwardingChain} are claims nobody authenticated, recorded as such.
     */
    @Revision("1")
    public record SessionImported(String roomId, String sessionId, ImportSource source, String claimedSenderKey,
                                  String claimedEd25519, java.util.List<String> forwardingChain, boolean sharedHistory,
                                  long firstKnownIndex, String sealedSessionKey, SenderData senderData, Rule rule) {
    }

    /**
     * Sender data moved (up in rank) because of new evidence. A verification upgrade ({@code MSK_VERIFIED})
     * has no key material to record in {@code evidence}; it names the verified key in {@code verified}
     * instead. {@code verified} is null for every other change and for upgrades recorded before it existed;
     * it is not written when null, so such events are stored exactly as before.
     */
    @Revision("1")
    public record SenderDataChanged(String roomId, String sessionId, SenderData previous, SenderData current,
                                    Rule rule, Trigger trigger, DecisionEvidence evidence,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) VerifiedMasterKey verified) {

        /** A change decided from recorded evidence (not a verification upgrade). */
        public SenderDataChanged(String roomId, String sessionId, SenderData previous, SenderData current, Rule rule,
                                 Trigger trigger, DecisionEvidence evidence) {
            this(roomId, sessionId, previous, current, rule, trigger, evidence, null);
        }
    }

    /** The session can no longer be trusted at all (tampering or a proven key mismatch). */
    @Revision("1")
    public record SessionDiscarded(String roomId, String sessionId, String reason, Rule rule, String detail,
                                   DecisionEvidence evidence) {
    }

    /** A copy that starts at an earlier message index was grafted on; sender data unchanged. */
    @Revision("1")
    public record RatchetImproved(String roomId, String sessionId, long firstKnownIndex, String sealedSessionKey) {
    }

    /** A copy of the session was refused (not the same session, or its keys contradict): suspicious. */
    @Revision("1")
    public record SessionCopyRefused(String roomId, String sessionId, RefusalCode code, String detail, String sender,
                                     String senderKey, String claimedEd25519) {
    }

    /** A copy of the session arrived that adds nothing (same or worse ratchet, no more trust). */
    @Revision("1")
    public record SessionCopyKept(String roomId, String sessionId, RatchetComparison ratchet, SenderData offered) {
    }

    /** A room key for a session we do not hold was refused; nothing usable was stored. */
    @Revision("1")
    public record RoomKeyRefused(String roomId, String sessionId, String sender, String senderKey, RefusalCode code,
                                 String detail, DecisionEvidence evidence) {
    }

    /**
     * The session was forgotten on purpose (crypto-shredding, ADR 0012): its data keys were destroyed in
     * the same transaction, so its sealed ratchets can never be opened again. Its trail stays.
     *
     * @param by     who asked (the CLI's user, or "http-admin"); not a secret
     * @param reason why, as given (may be empty)
     */
    @Revision("1")
    public record SessionForgotten(String roomId, String sessionId, String by, String reason) {
    }

    /**
     * The session's key material sealed anew under a data key (key rotation of a value sealed in the
     * older {@code v1} form directly by a sealing key); from now on the session reads this value.
     */
    @Revision("1")
    public record SessionKeyResealed(String roomId, String sessionId, String sealedSessionKey) {
    }
}
