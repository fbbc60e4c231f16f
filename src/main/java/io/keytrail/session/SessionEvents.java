package io.keytrail.session;

import org.axonframework.serialization.Revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.errors.RefusalCode;
import io.keytrail.trust.DiscardCause;
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

    /**
     * A room key created our copy of the session, with the decision made on arrival. Stores written before
     * {@link SessionReceivedOverImport} existed also hold it as a second event of an imported session (an
     * authenticated copy that replaced the import); the fold reads both forms alike.
     */
    @Revision("1")
    public record SessionReceived(String roomId, String sessionId, String sender, String senderKey,
                                  String claimedEd25519, boolean sharedHistory, long firstKnownIndex,
                                  String sealedSessionKey, SenderData senderData, Rule rule,
                                  DecisionEvidence evidence,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) BackupMacCheck authenticatedBy) {

        /**
         * A room key over Olm. {@code authenticatedBy} is set only for a key-backup entry whose MSC4048
         * {@code mac2} verified (ADR 0018); it is not written when null, so other events are stored as before.
         */
        public SessionReceived(String roomId, String sessionId, String sender, String senderKey, String claimedEd25519,
                               boolean sharedHistory, long firstKnownIndex, String sealedSessionKey,
                               SenderData senderData, Rule rule, DecisionEvidence evidence) {
            this(roomId, sessionId, sender, senderKey, claimedEd25519, sharedHistory, firstKnownIndex,
                    sealedSessionKey, senderData, rule, evidence, null);
        }
    }

    /**
     * An authenticated copy of a session we held only as an import (export file, key backup, forward) arrived
     * over Olm and carried more trust: from now on the session's creator is the one Olm authenticated, not
     * the import's claim, and it is no longer imported (design 6; ADR 0007: a new fact is a new event, not a
     * second {@code SessionReceived} on one aggregate).
     *
     * @param previous        the imported session's sender data before this copy
     * @param ratchetTaken    the copy's ratchet was better and replaced the import's; else the import's is kept
     * @param firstKnownIndex the session's first known index after this event
     * @param sealedSessionKey the session's ratchet after this event, sealed
     */
    @Revision("1")
    public record SessionReceivedOverImport(String roomId, String sessionId, String sender, String senderKey,
                                            String claimedEd25519, boolean sharedHistory, boolean ratchetTaken,
                                            long firstKnownIndex, String sealedSessionKey, SenderData previous,
                                            SenderData senderData, Rule rule, DecisionEvidence evidence,
                                            @JsonInclude(JsonInclude.Include.NON_NULL) BackupMacCheck authenticatedBy) {

        /**
         * A copy over Olm. {@code authenticatedBy} is set only when the copy is a key-backup entry whose
         * MSC4048 {@code mac2} verified (ADR 0018); not written when null.
         */
        public SessionReceivedOverImport(String roomId, String sessionId, String sender, String senderKey,
                                         String claimedEd25519, boolean sharedHistory, boolean ratchetTaken,
                                         long firstKnownIndex, String sealedSessionKey, SenderData previous,
                                         SenderData senderData, Rule rule, DecisionEvidence evidence) {
            this(roomId, sessionId, sender, senderKey, claimedEd25519, sharedHistory, ratchetTaken, firstKnownIndex,
                    sealedSessionKey, previous, senderData, rule, evidence, null);
        }
    }

    /**
     * A session imported from an export file, a key backup or a forward. {@code claimedSenderKey},
     * {@code claimedEd25519} and {@code forwardingChain} are claims nobody authenticated, recorded as such;
     * so are {@code claimedSender} and {@code claimedSenderData}, the owner a Keytrail export or backup
     * names (ADR 0018). {@code backupMac} reports a backup entry's MSC4048 {@code mac2} that did not
     * verify, or one that verified on an entry its writer marked unauthenticated.
     */
    @Revision("1")
    public record SessionImported(String roomId, String sessionId, ImportSource source, String claimedSenderKey,
                                  String claimedEd25519, java.util.List<String> forwardingChain, boolean sharedHistory,
                                  long firstKnownIndex, String sealedSessionKey, SenderData senderData, Rule rule,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) String claimedSender,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) SenderData claimedSenderData,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) BackupMacCheck backupMac) {

        /**
         * An import without a claimed owner or backup MAC. The three later fields (ADR 0018) are optional and
         * not written when null, so imports from other clients are stored exactly as before (revision 1).
         */
        public SessionImported(String roomId, String sessionId, ImportSource source, String claimedSenderKey,
                               String claimedEd25519, java.util.List<String> forwardingChain, boolean sharedHistory,
                               long firstKnownIndex, String sealedSessionKey, SenderData senderData, Rule rule) {
            this(roomId, sessionId, source, claimedSenderKey, claimedEd25519, forwardingChain, sharedHistory,
                    firstKnownIndex, sealedSessionKey, senderData, rule, null, null, null);
        }

        /** The import's claimed owner ({@code claimedSender} and {@code claimedSenderData}), or null. */
        @JsonIgnore
        public ImportClaim claim() {
            return claimedSender == null && claimedSenderData == null ? null
                    : new ImportClaim(claimedSender, claimedSenderData);
        }
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

    /**
     * The session can no longer be trusted at all (tampering or a proven key mismatch). Revision 2 types what
     * revision 1 stored as a free string {@code reason} ({@code "TAMPERING"} or a refusal code's name):
     * {@link SessionDiscardedUpcaster} reads revision 1 rows into this shape. {@code code} is not written
     * when null (tampering).
     */
    @Revision("2")
    public record SessionDiscarded(String roomId, String sessionId, DiscardCause cause,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) RefusalCode code, Rule rule,
                                   String detail, DecisionEvidence evidence) {
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
     * The decision just recorded for this session needs the homeserver's keys of {@code userId} (design
     * section 4): the creator's device is unknown ({@code senderKey}, the Olm sender key, or an import's
     * claimed key when a Keytrail export or backup names its owner), or the device is known but the user's
     * cross-signing identity is not ({@code identityWanted}). It starts the slow lane's keys-query saga,
     * which reads no other session event (ADR 0019). It records no decision: the session's fold ignores it.
     *
     * @param senderKey      the curve25519 key of the device whose keys are missing, or null when only the
     *                       identity is wanted
     * @param identityWanted the device is known, the user's cross-signing identity is not
     */
    @Revision("1")
    public record SenderKeysWanted(String roomId, String sessionId, String userId, String senderKey,
                                   boolean identityWanted) {
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
