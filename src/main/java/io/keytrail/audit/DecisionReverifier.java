package io.keytrail.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionState;
import io.keytrail.session.VerifiedMasterKey;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Replays the whole event store and re-checks every trust decision with today's code (design 8): the
 * signatures in the recorded evidence are verified again, the decision is re-run from that evidence,
 * and any decision that no longer follows is listed. Whether a master key was verified is folded from the
 * store's own verification events up to each decision ({@link VerificationFold}); the
 * {@code masterKeyVerified}/{@code previouslyVerified} booleans in the evidence are never believed, and a
 * decision whose booleans disagree with the store is listed as differing. Reads only; never changes the store.
 */
@Component
public class DecisionReverifier {
    private final EventStore events;

    public DecisionReverifier(EventStore events) {
        this.events = events;
    }

    /**
     * One re-checked decision.
     *
     * @param recorded   the recorded outcome (rule and sender data), as text
     * @param recomputed the outcome today's code derives from the store's facts, as text, or null when it could
     *                   not be derived (unreadable evidence, a signature that does not verify)
     */
    public record Finding(String aggregateId, long sequence, String event, Rule rule, Verdict verdict,
                          String detail, String recorded, String recomputed) {
        Finding(String aggregateId, long sequence, String event, Rule rule, Verdict verdict, String detail) {
            this(aggregateId, sequence, event, rule, verdict, detail, null, null);
        }
    }

    public enum Verdict {
        /** Signatures verify and today's rules reach the same answer from the recorded evidence. */
        CONFIRMED,
        /** The recorded answer does not follow from its evidence (a bug then or now, or altered data). */
        DIFFERS,
        /**
         * The decision rests on evidence that is not in the event (e.g. a tainted-device discard recorded
         * before discards carried their evidence).
         */
        UNVERIFIABLE
    }

    public record Report(int decisions, int confirmed, int differs, int unverifiable, List<Finding> findings) {
    }

    /**
     * Walks every event from the start of the store through the event store's tracking stream, holding every
     * session's facts and every finding in memory: the reference that {@link StoreVerifier} (bounded memory,
     * paged) is tested against. For big stores use {@link StoreVerifier}.
     */
    public Report reverifyAll() {
        List<Finding> findings = new ArrayList<>();
        AuditPass pass = new AuditPass(this, Integer.MAX_VALUE, (id, sequence) -> null);
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            while (stream.hasNextAvailable()) {
                pass.accept(stream.nextAvailable(), findings::add);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", e);
        }
        int confirmed = (int) findings.stream().filter(f -> f.verdict() == Verdict.CONFIRMED).count();
        int differs = (int) findings.stream().filter(f -> f.verdict() == Verdict.DIFFERS).count();
        return new Report(findings.size(), confirmed, differs, findings.size() - confirmed - differs, findings);
    }

    /**
     * An authenticated copy over an import: only an imported session can be received over, the trust must rise
     * (the merge takes a copy's sender data only when it is higher), and the decision is re-run from the
     * copy's own evidence as for a first receipt.
     */
    Finding overImport(String id, long seq, SessionReceivedOverImport e, SessionState before,
                               SessionState after, VerificationFold verification) {
        String event = "SessionReceivedOverImport";
        if (!before.imported()) {
            return new Finding(id, seq, event, e.rule(), Verdict.DIFFERS, "the session was not an import",
                    outcome(e.rule(), e.senderData()), null);
        }
        if (e.senderData().rank() <= e.previous().rank()) {
            return new Finding(id, seq, event, e.rule(), Verdict.DIFFERS, "an authenticated copy replaces an import "
                    + "only with more trust, but sender data moved from rank " + e.previous().rank() + " to "
                    + e.senderData().rank(), outcome(e.rule(), e.senderData()), null);
        }
        return recheck(id, seq, event, e.rule(), after, e.evidence(), e.senderData(), verification);
    }

    Finding changed(String id, long seq, SenderDataChanged e, SessionState facts,
                            VerificationFold verification) {
        if (e.current().rank() <= e.previous().rank()) {
            return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.DIFFERS,
                    "sender data moved from rank " + e.previous().rank() + " to " + e.current().rank());
        }
        if (e.rule() == Rule.MSK_VERIFIED) {
            return verificationUpgrade(id, seq, e, verification);
        }
        return recheck(id, seq, "SenderDataChanged", e.rule(), facts, e.evidence(), e.current(), verification);
    }

    /**
     * A verification upgrade is confirmed only when it upgrades exactly the signer the session recorded, names
     * that user and MSK as the verified key (upgrades recorded before they named it are matched by the recorded
     * signer), and a verification event for that user and key precedes it in the store, not withdrawn since.
     */
    private Finding verificationUpgrade(String id, long seq, SenderDataChanged e, VerificationFold verification) {
        String recorded = outcome(e.rule(), e.current());
        KnownSenderData before = e.previous().signerAwaitingVerification().orElse(null);
        if (before == null || !(e.current() instanceof SenderData.SenderVerified v) || !v.known().equals(before)) {
            return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.DIFFERS, "a verification upgrades only "
                    + "SenderUnverified or VerificationViolation to SenderVerified with the same user, device and MSK",
                    recorded, outcome(null, e.previous()));
        }
        String userId = before.userId();
        String masterKey = before.masterKey().toBase64();
        VerifiedMasterKey named = e.verified();
        if (named != null && !(named.userId().equals(userId) && named.masterKey().equals(masterKey))) {
            return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.DIFFERS, "the upgrade names the "
                    + "verified key " + named.userId() + " " + named.masterKey() + " but the session recorded "
                    + userId + " " + masterKey, recorded, outcome(null, e.previous()));
        }
        if (!verification.isVerified(userId, masterKey)) {
            return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.DIFFERS, "no verification of "
                    + userId + "'s master key " + masterKey + " precedes this upgrade (or it was withdrawn)",
                    recorded, outcome(null, e.previous()));
        }
        return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.CONFIRMED, "the local user verified "
                + userId + "'s master key " + masterKey + " before this upgrade"
                + (named == null ? " (recorded before upgrades named the verified key)" : ""), recorded, recorded);
    }

    /**
     * Events of one aggregate are numbered 0, 1, 2 … without holes; a hole means an event was deleted from the
     * store. (A deleted last event leaves no hole and cannot be seen here.)
     */
    static Finding gap(String id, long seq, Long previous, long expected) {
        String missing = expected == seq - 1 ? "event " + expected + " of this aggregate is"
                : "events " + expected + " to " + (seq - 1) + " of this aggregate are";
        return new Finding(id, seq, "SequenceGap", null, Verdict.DIFFERS, missing
                + " missing from the store (deleted?): the stream jumps from "
                + (previous == null ? "its start" : "event " + previous) + " to event " + seq,
                "sequence " + seq + " after " + (previous == null ? "none" : previous),
                "sequence " + expected + " expected");
    }

    Finding discarded(String id, long seq, SessionDiscarded e, SessionState facts,
                              Set<String> tamperingSeen, VerificationFold verification) {
        if (e.evidence() == null) {
            // Recorded before discards carried their evidence. That some key material of the sender was refused
            // as tampered before is no proof that this device relied on it (issue 10): never confirmed.
            boolean seen = facts.sender() != null && tamperingSeen.contains(facts.sender());
            return new Finding(id, seq, "SessionDiscarded", e.rule(), Verdict.UNVERIFIABLE,
                    "no recorded evidence for this discard" + (seen ? " (tampered key material of " + facts.sender()
                            + " was refused before it, but the discard does not say which key the device relied on)"
                            : ""));
        }
        return recheck(id, seq, "SessionDiscarded", e.rule(), facts, e.evidence(), null, verification);
    }

    /**
     * Re-verifies the evidence's signatures and re-runs the decision with the verification state the store
     * establishes at this point; {@code expected} null = a refusal.
     */
    Finding recheck(String id, long seq, String event, Rule rule, SessionState facts, DecisionEvidence evidence,
                            SenderData expected, VerificationFold verification) {
        if (!facts.exists() || evidence == null) {
            return new Finding(id, seq, event, rule, Verdict.UNVERIFIABLE, "the decision's inputs are not recorded");
        }
        String recorded = outcome(rule, expected);
        VerificationFold.Trust trust = verification.trustIn(facts.decisionUser(), masterKeyOf(evidence));
        Rechecked again = Rechecked.run(facts.decisionUser(), facts.senderKey(), facts.claimedEd25519(), facts.imported(),
                evidence, trust);
        if (again.problem() != null) {
            return new Finding(id, seq, event, rule, Verdict.DIFFERS, again.problem(), recorded, null);
        }
        String recomputed = outcome(again.rule(), again.senderData());
        boolean sameRule = again.rule() == rule;
        boolean sameAnswer = expected == null ? again.senderData() == null
                : again.senderData() != null && again.senderData().equals(expected);
        boolean arrivalTampering = sameRule && again.senderData() == null && "SessionReceived".equals(event);
        if (!(sameRule && sameAnswer) && !arrivalTampering) {
            return new Finding(id, seq, event, rule, Verdict.DIFFERS, "today's rules, with the verification state "
                    + "the store's events establish, give " + recomputed + " instead of " + recorded, recorded,
                    recomputed);
        }
        String claims = claimedTrustDisagreement(evidence, trust);
        if (claims != null) {
            return new Finding(id, seq, event, rule, Verdict.DIFFERS, claims, recorded, recomputed);
        }
        return new Finding(id, seq, event, rule, Verdict.CONFIRMED, arrivalTampering
                ? "tampering on arrival; discarded" : "signatures verify; same rule and answer", recorded, recomputed);
    }

    /** The evidence's verification booleans are not believed; when they disagree with the store, say so. */
    private static String claimedTrustDisagreement(DecisionEvidence evidence, VerificationFold.Trust trust) {
        if (evidence.masterKey() == null && !evidence.masterKeyVerified() && !evidence.previouslyVerified()) {
            return null;
        }
        if (evidence.masterKeyVerified() == trust.masterKeyVerified()
                && evidence.previouslyVerified() == trust.previouslyVerified()) {
            return null;
        }
        return "the evidence claims masterKeyVerified=" + evidence.masterKeyVerified() + ", previouslyVerified="
                + evidence.previouslyVerified() + " but the store's verification events up to this decision give "
                + "masterKeyVerified=" + trust.masterKeyVerified() + ", previouslyVerified="
                + trust.previouslyVerified();
    }

    /** The recorded MSK's public key (base64), or null when there is none or it cannot be read. */
    private static String masterKeyOf(DecisionEvidence evidence) {
        if (evidence.masterKey() == null) {
            return null;
        }
        try {
            return CrossSigningKey.parse(evidence.masterKey()).publicKey().toBase64();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A decision's outcome as text; a null rule = the sender data stays as it was. */
    private static String outcome(Rule rule, SenderData data) {
        return (rule == null ? "unchanged" : rule) + " -> " + (data == null ? "a refusal" : data.getClass().getSimpleName());
    }
}
