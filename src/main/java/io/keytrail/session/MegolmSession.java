package io.keytrail.session;

import io.keytrail.errors.RefusalCode;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.List;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.session.SessionCommands.ApplyMasterKeyVerification;
import io.keytrail.session.SessionCommands.ForgetSession;
import io.keytrail.session.SessionCommands.ResealSessionKey;
import io.keytrail.session.SessionCommands.ImportSession;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionCommands.RecordSenderKeysWanted;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.Decision;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataChange;
import io.keytrail.trust.SenderDataFinder;
import io.keytrail.trust.SessionMerge;

/**
 * One inbound Megolm session: who created it (sender data) and its earliest known ratchet, sealed.
 *
 * <p>The aggregate only applies. What was decided comes from {@link SenderDataFinder}, and what the session
 * does with it (record, keep, merge, discard, refuse) from the change rule {@link SenderDataChange}
 * (design section 5), tampering and its "already cross-signed keeps its trust" exemption included.
 */
@Aggregate
public class MegolmSession {
    @AggregateIdentifier
    private String id;
    /** Everything the session's events say; changed only by {@link SessionState#apply} below. */
    private SessionState state = SessionState.NONE;

    /**
     * A forgotten session stays forgotten (ADR 0012): a re-delivered room key, a forward or an import of
     * it would otherwise quietly undo the shredding, since such copies arrive routinely.
     */
    private static final String FORGOTTEN_COPY = "the session was forgotten (its keys destroyed on purpose); "
            + "copies of it are refused";

    protected MegolmSession() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ReceiveOutcome handle(ReceiveSession cmd, SessionKeyVault vault) {
        Decision decision = decisionOf(cmd);
        if (!state.exists()) {
            receiveFirstCopy(cmd, SenderDataChange.onReceipt(null, decision), vault);
            return ReceiveOutcome.ACCEPTED;
        }
        return receiveAnotherCopy(cmd, decision, vault);
    }

    /** The decision on the creator of a received copy, from the evidence the command carries. */
    public static Decision decisionOf(ReceiveSession cmd) {
        return SenderDataFinder.decide(
                cmd.evidence().toEvidence(cmd.sender(), cmd.senderKey(), cmd.claimedEd25519(), false));
    }

    private void receiveFirstCopy(ReceiveSession cmd, SenderDataChange.Action action, SessionKeyVault vault) {
        firstCopyEvents(cmd, action, vault.seal(cmd.exportedSessionKey(), cmd.id())).forEach(AggregateLifecycle::apply);
    }

    /**
     * The events that a first copy of a session creates, in order: what this aggregate applies when it
     * has no history, and what the batch write path ({@link NewSessions}) appends for a session that
     * has none. One method for both, so that the two paths cannot record different events. A decision
     * that needs the homeserver's keys is followed by {@link SenderKeysWanted} ({@link KeysWanted}); a
     * session discarded on arrival wants nothing.
     *
     * @param sealed the session key sealed for this aggregate ({@link SessionKeyVault#seal})
     * @throws RoomKeyRefusedException when the change rule refuses the key (nothing is stored)
     */
    public static List<Object> firstCopyEvents(ReceiveSession cmd, SenderDataChange.Action action, String sealed) {
        DecisionEvidence evidence = cmd.evidence().withSenderDeviceKeys(cmd.senderDeviceKeys());
        if (action instanceof SenderDataChange.Refuse r) {
            throw new RoomKeyRefusedException(r.code(), r.detail(), r.rule());
        } else if (action instanceof SenderDataChange.Record r) {
            SessionReceived received = received(cmd, sealed, r.senderData(), r.rule());
            // The slow lane starts on this small event only (ADR 0019), never by reading every receipt.
            return KeysWanted.after(received).<List<Object>>map(wanted -> List.of(received, wanted))
                    .orElseGet(() -> List.of(received));
        }
        // Stored, then discarded at once: the discard and its evidence are on record, and any
        // later copy of the session is refused.
        SenderDataChange.Discard d = (SenderDataChange.Discard) action;
        return List.of(received(cmd, sealed, SenderData.unknown(), d.rule()),
                new SessionDiscarded(cmd.roomId(), cmd.sessionId(), d.cause(), d.code(), d.rule(), d.detail(),
                        evidence));
    }

    /**
     * Another copy of a session we hold. A copy from another creator key, or whose ratchet does not
     * derive from ours, claims a session that is not its own: refused and recorded as suspicious.
     */
    private ReceiveOutcome receiveAnotherCopy(ReceiveSession cmd, Decision decision, SessionKeyVault vault) {
        if (state.forgotten()) {
            return refuse(cmd, RefusalCode.SESSION_FORGOTTEN, FORGOTTEN_COPY);
        }
        if (state.discarded()) {
            return refuse(cmd, RefusalCode.SESSION_DISCARDED, "the session was discarded; copies of it are refused");
        }
        if (!state.senderKey().equals(cmd.senderKey())) {
            return refuse(cmd, RefusalCode.MISMATCHED_IDENTITY_KEYS, "a copy of this session from another creator key ("
                    + cmd.senderKey() + "; the session was created by " + state.senderKey() + ")");
        }
        RatchetComparison ratchet = SessionRatchets.compare(cmd.exportedSessionKey(),
                vault.open(state.sealedSessionKey(), id));
        if (ratchet == RatchetComparison.UNCONNECTED) {
            return refuse(cmd, RefusalCode.INVALID_SESSION_KEY,
                    "the offered ratchet does not belong to the session we hold (unconnected copy)");
        }
        SenderDataChange.Action action = SenderDataChange.onReceipt(state.senderData(), decision);
        if (action instanceof SenderDataChange.Refuse r) {
            return refuse(cmd, r.code(), r.detail());
        } else if (action instanceof SenderDataChange.Discard d) {
            apply(new SessionDiscarded(state.roomId(), state.sessionId(), d.cause(), d.code(), d.rule(), d.detail(),
                    cmd.evidence().withSenderDeviceKeys(cmd.senderDeviceKeys())));
        } else {
            merge(cmd, ratchet, (SenderDataChange.Merge) action, vault);
        }
        return ReceiveOutcome.ACCEPTED;
    }

    /**
     * Keep the better ratchet and the higher trust ({@link SessionMerge}); each half is its own event.
     * When an authenticated copy wins over an imported session, the session is received over the import
     * ({@link SessionReceivedOverImport}): from now on its creator is the one Olm authenticated, not the
     * import's claim.
     */
    private void merge(ReceiveSession cmd, RatchetComparison ratchet, SenderDataChange.Merge offered,
                       SessionKeyVault vault) {
        SessionMerge.Outcome outcome = SessionMerge.merge(ratchet, offered.offered(), state.senderData());
        if (!outcome.changesSession()) {
            if (ratchet == RatchetComparison.EQUAL && offered.offered().equals(state.senderData())) {
                return; // the same copy again (a re-delivery) changes nothing: no event (design 11)
            }
            apply(new SessionCopyKept(state.roomId(), state.sessionId(), ratchet, offered.offered()));
            return;
        }
        if (state.imported() && outcome.takesNewSenderData()) {
            boolean newRatchet = outcome.takesNewRatchet();
            String sealed = newRatchet ? vault.seal(cmd.exportedSessionKey(), id) : state.sealedSessionKey();
            SessionReceivedOverImport over = new SessionReceivedOverImport(state.roomId(), state.sessionId(),
                    cmd.sender(), cmd.senderKey(), cmd.claimedEd25519(), cmd.sharedHistory(), newRatchet,
                    newRatchet ? cmd.firstKnownIndex() : state.firstKnownIndex(), sealed, state.senderData(),
                    offered.offered(), offered.rule(), cmd.evidence().withSenderDeviceKeys(cmd.senderDeviceKeys()),
                    cmd.authenticatedBy());
            apply(over);
            KeysWanted.after(over).ifPresent(AggregateLifecycle::apply);
            return;
        }
        // TAKE_NEW also covers an equal ratchet with more trust, and a better ratchet with equal trust:
        // record only what actually moved, so that an event never claims an improvement that did not happen.
        if (outcome.takesNewRatchet() && ratchet == RatchetComparison.BETTER) {
            apply(new RatchetImproved(state.roomId(), state.sessionId(), cmd.firstKnownIndex(),
                    vault.seal(cmd.exportedSessionKey(), id)));
        }
        // The merge table takes the new copy whole at equal trust; the recorded sender data still only
        // moves up in rank (design 5): an equal-rank copy must not swap one DeviceInfo's keys for another's.
        if (outcome.takesNewSenderData() && SenderDataChange.isAllowed(state.senderData(), offered.offered())) {
            apply(new SenderDataChanged(state.roomId(), state.sessionId(), state.senderData(), offered.offered(),
                    offered.rule(), Trigger.RE_RECEIPT, cmd.evidence().withSenderDeviceKeys(cmd.senderDeviceKeys())));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ReceiveOutcome handle(ImportSession cmd, SessionKeyVault vault) {
        if (!state.exists()) {
            importEvents(cmd, vault.seal(cmd.exportedSessionKey(), cmd.id())).forEach(AggregateLifecycle::apply);
            return ReceiveOutcome.ACCEPTED;
        }
        if (state.forgotten()) {
            return refuseImport(cmd, RefusalCode.SESSION_FORGOTTEN, FORGOTTEN_COPY);
        }
        if (state.discarded()) {
            return refuseImport(cmd, RefusalCode.SESSION_DISCARDED, "the session was discarded; copies of it are refused");
        }
        if (cmd.claimedSenderKey() != null && !cmd.claimedSenderKey().equals(state.senderKey())) {
            return refuseImport(cmd, RefusalCode.MISMATCHED_IDENTITY_KEYS, "the import claims creator key "
                    + cmd.claimedSenderKey() + ", but the session was created by " + state.senderKey());
        }
        RatchetComparison ratchet = SessionRatchets.compare(cmd.exportedSessionKey(),
                vault.open(state.sealedSessionKey(), id));
        SessionMerge.Outcome outcome = SessionMerge.merge(ratchet, SenderData.legacy(), state.senderData());
        if (outcome == SessionMerge.Outcome.DISCARD_UNCONNECTED) {
            return refuseImport(cmd, RefusalCode.INVALID_SESSION_KEY,
                    "the imported ratchet does not belong to the session we hold (unconnected copy)");
        }
        if (outcome.takesNewRatchet()) {
            apply(new RatchetImproved(state.roomId(), state.sessionId(), cmd.firstKnownIndex(),
                    vault.seal(cmd.exportedSessionKey(), id)));
        } else {
            apply(new SessionCopyKept(state.roomId(), state.sessionId(), ratchet, SenderData.legacy()));
        }
        return ReceiveOutcome.ACCEPTED;
    }

    /**
     * The events that an imported first copy of a session creates (legacy, claims kept as claims), then
     * {@link SenderKeysWanted} when its claim names an owner to ask the homeserver about (ADR 0019): what
     * this aggregate applies when it has no history, and what the imports' batch path ({@link NewSessions},
     * ADR 0020) appends for a session that has none.
     *
     * @param sealed the session key sealed for this aggregate ({@link SessionKeyVault#seal})
     */
    public static List<Object> importEvents(ImportSession cmd, String sealed) {
        SessionImported imported = importedEvent(cmd, sealed);
        return KeysWanted.after(imported).<List<Object>>map(wanted -> List.of(imported, wanted))
                .orElse(List.of(imported));
    }

    private static SessionImported importedEvent(ImportSession cmd, String sealed) {
        ImportClaim claim = cmd.claim();
        return new SessionImported(cmd.roomId(), cmd.sessionId(), cmd.source(), cmd.claimedSenderKey(),
                cmd.claimedEd25519(), cmd.forwardingChain(), cmd.sharedHistory(), cmd.firstKnownIndex(), sealed,
                SenderData.legacy(), Rule.IMPORTED, claim == null ? null : claim.userId(),
                claim == null ? null : claim.senderData(), cmd.backupMac());
    }

    private ReceiveOutcome refuseImport(ImportSession cmd, RefusalCode code, String detail) {
        apply(new SessionCopyRefused(state.roomId(), state.sessionId(), code,
                detail + " (source " + cmd.source() + ")", null,
                cmd.claimedSenderKey(), cmd.claimedEd25519()));
        return new ReceiveOutcome(code, detail);
    }

    private ReceiveOutcome refuse(ReceiveSession cmd, RefusalCode code, String detail) {
        apply(new SessionCopyRefused(state.roomId(), state.sessionId(), code, detail, cmd.sender(), cmd.senderKey(),
                cmd.claimedEd25519()));
        return new ReceiveOutcome(code, detail);
    }

    private static SessionReceived received(ReceiveSession cmd, String sealed, SenderData data, Rule rule) {
        return new SessionReceived(cmd.roomId(), cmd.sessionId(), cmd.sender(), cmd.senderKey(),
                cmd.claimedEd25519(), cmd.sharedHistory(), cmd.firstKnownIndex(), sealed, data, rule,
                cmd.evidence().withSenderDeviceKeys(cmd.senderDeviceKeys()), cmd.authenticatedBy());
    }

    @CommandHandler
    public void handle(RedecideSenderData cmd) {
        redecisionEvents(state, cmd).forEach(AggregateLifecycle::apply);
    }

    /**
     * What a re-decision of a session in {@code state} records (nothing, a change, or a discard): what this
     * aggregate applies, and what the imports' batch path appends after the first event of a session it
     * creates, when the import's claim names a device we hold (ADR 0020).
     */
    public static List<Object> redecisionEvents(SessionState state, RedecideSenderData cmd) {
        if (state.discarded()) {
            return List.of();
        }
        DecisionEvidence evidence = cmd.evidence().withSenderDeviceKeys(state.senderDeviceKeys());
        Decision decision = SenderDataFinder.decide(evidence.toEvidence(state.decisionUser(), state.senderKey(),
                state.claimedEd25519(), state.imported()));
        SenderDataChange.Action action = SenderDataChange.onRedecision(state.senderData(), decision);
        if (action instanceof SenderDataChange.Record r) {
            return List.of(new SenderDataChanged(state.roomId(), state.sessionId(), state.senderData(), r.senderData(),
                    r.rule(), cmd.trigger(), evidence));
        } else if (action instanceof SenderDataChange.Discard d) {
            return List.of(new SessionDiscarded(state.roomId(), state.sessionId(), d.cause(), d.code(), d.rule(),
                    d.detail(), evidence));
        }
        return List.of();
    }

    /**
     * The slow lane's catch-up of a store written before {@link SenderKeysWanted} existed (ADR 0019): a
     * receipt or import recorded then wanted keys, and nothing recorded the want. Recorded now unless the
     * session moved on since (its sender data changed, it was discarded or forgotten): then keys came, or
     * they no longer matter. Returns whether it recorded.
     */
    @CommandHandler
    public boolean handle(RecordSenderKeysWanted cmd) {
        if (!state.exists() || state.discarded() || state.forgotten()
                || !Objects.equals(state.senderData(), cmd.decided())) {
            return false;
        }
        apply(cmd.wanted());
        return true;
    }

    /**
     * Verification of exactly the recorded MSK upgrades the session ({@link SenderDataChange#onVerification});
     * the upgrade names the verified key, so the audit can match it with the verification event.
     */
    @CommandHandler
    public void handle(ApplyMasterKeyVerification cmd) {
        if (state.discarded()) {
            return;
        }
        SenderDataChange.onVerification(state.senderData(), cmd.userId(), cmd.masterKey()).ifPresent(verified ->
                apply(new SenderDataChanged(state.roomId(), state.sessionId(), state.senderData(), verified,
                        Rule.MSK_VERIFIED, Trigger.VERIFY_MASTER_KEY, null,
                        new VerifiedMasterKey(cmd.userId(), cmd.masterKey()))));
    }

    /**
     * Forgets the session: records who and why, and destroys its data keys in the same transaction, so
     * the event and the shredding happen together or not at all. Forgetting twice changes nothing.
     */
    @CommandHandler
    public Forgetting handle(ForgetSession cmd, SessionKeyVault vault) {
        if (state.forgotten()) {
            return new Forgetting(false, 0, false);
        }
        boolean legacySealed = state.sealedSessionKey() != null
                && SessionKeyVault.legacySealingKeyId(state.sealedSessionKey()).isPresent();
        apply(new SessionForgotten(state.roomId(), state.sessionId(), cmd.by(), cmd.reason()));
        return new Forgetting(true, vault.destroyDataKeys(id), legacySealed);
    }

    /**
     * What forgetting did.
     *
     * @param forgotten         false when the session was forgotten already
     * @param dataKeysDestroyed how many data keys were deleted
     * @param legacySealed      its current value was in the v1 form (sealed directly by a sealing key, no data
     *                          key): unreadable for good only once that sealing key is retired after rotation
     */
    public record Forgetting(boolean forgotten, int dataKeysDestroyed, boolean legacySealed) {
    }

    /** Key rotation of a v1 value: sealed anew under a data key, as a new event; returns whether it did. */
    @CommandHandler
    public boolean handle(ResealSessionKey cmd, SessionKeyVault vault) {
        if (state.forgotten() || state.sealedSessionKey() == null
                || SessionKeyVault.legacySealingKeyId(state.sealedSessionKey()).isEmpty()) {
            return false;
        }
        apply(new SessionKeyResealed(state.roomId(), state.sessionId(),
                vault.seal(vault.open(state.sealedSessionKey(), id), id)));
        return true;
    }

    /** One handler for every event: the fold decides what each event means for the session. */
    @EventSourcingHandler
    void on(Object event) {
        state = state.apply(event);
        if (state.aggregateId() != null) {
            id = state.aggregateId();
        }
    }
}
