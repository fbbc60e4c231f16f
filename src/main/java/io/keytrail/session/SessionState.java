package io.keytrail.session;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.SenderData;

/**
 * What a Megolm session's events say about it, folded one event at a time: the only place where the
 * meaning of a session event for the session's state is written down. The aggregate, the directory
 * projection, the audit "as of" and the re-verifier all fold with {@link #apply}. Pure and immutable.
 *
 * @param aggregateId      the session's aggregate id ({@link SessionRef}); null before the first event
 * @param sender           the user Olm authenticated as the creator; null for an imported session
 * @param senderKey        the creator's curve25519 key (for an imported session: the import's claim)
 * @param claimedEd25519   the creator's claimed ed25519 key, never authenticated by itself
 * @param senderDeviceKeys the MSC4147 {@code sender_device_keys} the room key carried, or null
 * @param imported         created by an import (export file, key backup, forward), not received over Olm
 * @param forwardingChain  curve25519 keys of the devices that forwarded an imported session; empty otherwise
 * @param sealedSessionKey the earliest known ratchet, sealed ({@link SessionKeyVault})
 * @param discarded        the session can no longer be trusted (tampering, a proven key mismatch)
 * @param claim            an imported session's claimed owner (a Keytrail export or backup), or null
 * @param forgotten        the session was forgotten on purpose: its key material is destroyed (ADR 0012)
 */
public record SessionState(String aggregateId, String roomId, String sessionId, String sender, String senderKey,
                           String claimedEd25519, ObjectNode senderDeviceKeys, boolean imported,
                           boolean sharedHistory, List<String> forwardingChain, long firstKnownIndex,
                           String sealedSessionKey, SenderData senderData, boolean discarded, ImportClaim claim,
                           boolean forgotten) {

    /** Before the first event: no session. */
    public static final SessionState NONE = new SessionState(null, null, null, null, null, null, null, false, false,
            List.of(), 0, null, null, false, null, false);

    /** A state without an import claim, not forgotten. */
    public SessionState(String aggregateId, String roomId, String sessionId, String sender, String senderKey,
                        String claimedEd25519, ObjectNode senderDeviceKeys, boolean imported, boolean sharedHistory,
                        List<String> forwardingChain, long firstKnownIndex, String sealedSessionKey,
                        SenderData senderData, boolean discarded) {
        this(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519, senderDeviceKeys, imported,
                sharedHistory, forwardingChain, firstKnownIndex, sealedSessionKey, senderData, discarded, null, false);
    }

    /**
     * Whose devices and identity a decision about this session looks at: the user Olm authenticated, or,
     * for an import, the owner its claim names (ADR 0018: the claim chooses whose keys to fetch and
     * compare, it never proves anything by itself). Null when neither is known.
     */
    public String decisionUser() {
        return sender != null ? sender : claim == null ? null : claim.userId();
    }

    public SessionState {
        forwardingChain = forwardingChain == null ? List.of() : List.copyOf(forwardingChain);
    }

    /** True once a {@code SessionReceived} or {@code SessionImported} created the session. */
    public boolean exists() {
        return roomId != null;
    }

    /**
     * The state after {@code event}. Events of other types, and events that only record something
     * (a copy kept or refused, a room key refused, the sender's keys wanted), leave the state as it is; so does any event before
     * the session exists.
     */
    public SessionState apply(Object event) {
        if (event instanceof SessionReceived e) {
            // A first receipt, or an authenticated copy that replaces an imported one whole.
            return new SessionState(new SessionRef(e.roomId(), e.sessionId()).aggregateId(), e.roomId(),
                    e.sessionId(), e.sender(), e.senderKey(), e.claimedEd25519(),
                    e.evidence() == null ? null : e.evidence().senderDeviceKeys(), false, e.sharedHistory(),
                    List.of(), e.firstKnownIndex(), e.sealedSessionKey(), e.senderData(), false, null, false);
        }
        if (event instanceof SessionImported e) {
            return new SessionState(new SessionRef(e.roomId(), e.sessionId()).aggregateId(), e.roomId(),
                    e.sessionId(), null, e.claimedSenderKey(), e.claimedEd25519(), null, true, e.sharedHistory(),
                    e.forwardingChain(), e.firstKnownIndex(), e.sealedSessionKey(), e.senderData(), false, e.claim(), false);
        }
        if (!exists()) {
            return this;
        }
        if (event instanceof SessionReceivedOverImport e) {
            // The authenticated creator replaces the import's claims; the session is no longer an import.
            return new SessionState(aggregateId, roomId, sessionId, e.sender(), e.senderKey(), e.claimedEd25519(),
                    e.evidence() == null ? null : e.evidence().senderDeviceKeys(), false, e.sharedHistory(),
                    List.of(), e.firstKnownIndex(), e.sealedSessionKey(), e.senderData(), discarded);
        }
        if (event instanceof SenderDataChanged e) {
            return withSenderData(e.current());
        }
        if (event instanceof RatchetImproved e) {
            return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519,
                    senderDeviceKeys, imported, sharedHistory, forwardingChain, e.firstKnownIndex(),
                    e.sealedSessionKey(), senderData, discarded, claim, forgotten);
        }
        if (event instanceof SessionKeyResealed e) {
            return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519,
                    senderDeviceKeys, imported, sharedHistory, forwardingChain, firstKnownIndex,
                    e.sealedSessionKey(), senderData, discarded, claim, forgotten);
        }
        if (event instanceof SessionForgotten) {
            // Nothing of the key material is left to point at: the data keys are gone.
            return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519,
                    senderDeviceKeys, imported, sharedHistory, forwardingChain, firstKnownIndex, null,
                    senderData, discarded, claim, true);
        }
        if (event instanceof SessionDiscarded) {
            return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519,
                    senderDeviceKeys, imported, sharedHistory, forwardingChain, firstKnownIndex, sealedSessionKey,
                    senderData, true, claim, forgotten);
        }
        return this;
    }

    /** Folds {@code events} in order, starting from {@link #NONE}. */
    public static SessionState of(Iterable<?> events) {
        SessionState state = NONE;
        for (Object event : events) {
            state = state.apply(event);
        }
        return state;
    }

    /**
     * True for the events that record a decision about the session's sender data or its discarding
     * (what an auditor asks "as of" a time), as opposed to ratchet bookkeeping and refused copies.
     */
    public static boolean recordsDecision(Object event) {
        return event instanceof SessionReceived || event instanceof SessionImported
                || event instanceof SessionReceivedOverImport || event instanceof SenderDataChanged || event instanceof SessionDiscarded;
    }

    private SessionState withSenderData(SenderData next) {
        return new SessionState(aggregateId, roomId, sessionId, sender, senderKey, claimedEd25519, senderDeviceKeys,
                imported, sharedHistory, forwardingChain, firstKnownIndex, sealedSessionKey, next, discarded, claim,
                forgotten);
    }
}
