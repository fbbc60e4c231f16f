package io.keytrail.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.trust.SenderData;

/** Commands of the {@link MegolmSession} aggregate. */
public final class SessionCommands {
    private SessionCommands() {
    }

    /**
     * A room key arrived over Olm ({@code m.room_key}), already validated (payload, session key
     * signature, {@code sender_device_keys}). The aggregate decides its sender data from
     * {@code evidence}, or merges it into the copy it holds.
     *
     * @param exportedSessionKey the session in export format at {@code firstKnownIndex}; secret, sealed
     *                           by the aggregate before it is stored
     * @param authenticatedBy    null for a room key over Olm; {@code MSC4048_MAC2_VALID} for a backup entry
     *                           whose {@code mac2} verified, decided as if received over Olm (ADR 0018)
     */
    public record ReceiveSession(@TargetAggregateIdentifier String id, String roomId, String sessionId,
                                 String sender, String senderKey, String claimedEd25519, boolean sharedHistory,
                                 long firstKnownIndex, String exportedSessionKey, ObjectNode senderDeviceKeys,
                                 DecisionEvidence evidence, BackupMacCheck authenticatedBy) {

        /** A room key over Olm (the Olm session authenticated its creator). */
        public ReceiveSession(String id, String roomId, String sessionId, String sender, String senderKey,
                              String claimedEd25519, boolean sharedHistory, long firstKnownIndex,
                              String exportedSessionKey, ObjectNode senderDeviceKeys, DecisionEvidence evidence) {
            this(id, roomId, sessionId, sender, senderKey, claimedEd25519, sharedHistory, firstKnownIndex,
                    exportedSessionKey, senderDeviceKeys, evidence, null);
        }

        @Override
        public String toString() {
            return "ReceiveSession[" + id + ", sender=" + sender + "]";
        }
    }

    /**
     * A session from an export file, a key backup or a forwarded room key: nothing proves who created
     * it, so its creator fields are claims and it is a legacy session (design section 6).
     *
     * @param source             where the session came from
     * @param forwardingChain    curve25519 keys of the devices that forwarded it, oldest first
     * @param exportedSessionKey the session in export format; secret, sealed by the aggregate
     * @param claim              who a Keytrail export or backup says created it (a claim), or null
     * @param backupMac          what a backup entry's MSC4048 {@code mac2} said, or null (none, or not a backup)
     */
    public record ImportSession(@TargetAggregateIdentifier String id, String roomId, String sessionId, ImportSource source,
                                String claimedSenderKey, String claimedEd25519, java.util.List<String> forwardingChain,
                                boolean sharedHistory, long firstKnownIndex, String exportedSessionKey,
                                ImportClaim claim, BackupMacCheck backupMac) {

        /** An import without a claimed owner and without a backup MAC (files from other clients). */
        public ImportSession(String id, String roomId, String sessionId, ImportSource source, String claimedSenderKey,
                             String claimedEd25519, java.util.List<String> forwardingChain, boolean sharedHistory,
                             long firstKnownIndex, String exportedSessionKey) {
            this(id, roomId, sessionId, source, claimedSenderKey, claimedEd25519, forwardingChain, sharedHistory,
                    firstKnownIndex, exportedSessionKey, null, null);
        }

        @Override
        public String toString() {
            return "ImportSession[" + id + ", source=" + source + "]";
        }
    }

    /** New evidence about the sender exists (keys fetched, identity changed): decide again. */
    public record RedecideSenderData(@TargetAggregateIdentifier String id, DecisionEvidence evidence,
                                     Trigger trigger) {
    }

    /**
     * Record that a decision recorded before {@code SenderKeysWanted} existed wanted the sender's keys (the
     * slow lane's catch-up, ADR 0019), if the session still holds the sender data {@code decided} then.
     */
    public record RecordSenderKeysWanted(@TargetAggregateIdentifier String id, SenderKeysWanted wanted,
                                         SenderData decided) {
    }

    /**
     * The local user verified {@code masterKey} of {@code userId}: a session that recorded exactly that
     * user and MSK is upgraded.
     */
    public record ApplyMasterKeyVerification(@TargetAggregateIdentifier String id, String userId, String masterKey) {
    }

    /** Forget the session for good: destroy its key material, keep its trail (ADR 0012). */
    public record ForgetSession(@TargetAggregateIdentifier String id, String by, String reason) {
    }

    /**
     * Re-seal the session's key material under a data key if it is still sealed in the {@code v1} form
     * (key rotation); a session already in the {@code v2} form, or forgotten, is left alone.
     */
    public record ResealSessionKey(@TargetAggregateIdentifier String id) {
    }
}
