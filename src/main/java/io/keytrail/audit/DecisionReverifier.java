package io.keytrail.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import io.keytrail.identity.IdentityEvents.KeysRejected;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionState;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Replays the whole event store and re-checks every trust decision with today's code (design 8): the
 * signatures in the recorded evidence are verified again, the decision is re-run from that evidence,
 * and any decision that no longer follows is listed. Reads only; never changes the store.
 */
@Component
public class DecisionReverifier {
    private final EventStore events;

    public DecisionReverifier(EventStore events) {
        this.events = events;
    }

    /** One re-checked decision. */
    public record Finding(String aggregateId, long sequence, String event, Rule rule, Verdict verdict,
                          String detail) {
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

    /** Walks every event from the start of the store. */
    public Report reverifyAll() {
        Map<String, SessionState> sessions = new HashMap<>();
        Set<String> verified = new HashSet<>();
        Set<String> tamperingSeen = new HashSet<>();
        List<Finding> findings = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                Object event = message.getPayload();
                String aggregateId = message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : null;
                long sequence = message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : -1;
                // The session's facts (creator, keys, imported) before and after this event, by the shared fold.
                SessionState before = aggregateId == null ? SessionState.NONE
                        : sessions.getOrDefault(aggregateId, SessionState.NONE);
                SessionState after = before.apply(event);
                if (after != before) {
                    sessions.put(aggregateId, after);
                }
                if (event instanceof MskVerified e) {
                    verified.add(e.userId() + "|" + e.masterKey());
                } else if (event instanceof MskVerifiedByUserSigningKey e) {
                    verified.add(e.userId() + "|" + e.masterKey());
                } else if (event instanceof VerificationWithdrawn e) {
                    verified.removeIf(k -> k.startsWith(e.userId() + "|"));
                } else if (event instanceof KeysRejected e && e.rejections().stream().anyMatch(r -> r.tampering())) {
                    tamperingSeen.add(e.userId());
                } else if (event instanceof SessionReceived e) {
                    findings.add(recheck(aggregateId, sequence, "SessionReceived", e.rule(), after, e.evidence(),
                            e.senderData()));
                } else if (event instanceof SenderDataChanged e) {
                    findings.add(changed(aggregateId, sequence, e, before, verified));
                } else if (event instanceof SessionDiscarded e) {
                    findings.add(discarded(aggregateId, sequence, e, before, tamperingSeen));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", e);
        }
        int confirmed = (int) findings.stream().filter(f -> f.verdict() == Verdict.CONFIRMED).count();
        int differs = (int) findings.stream().filter(f -> f.verdict() == Verdict.DIFFERS).count();
        return new Report(findings.size(), confirmed, differs, findings.size() - confirmed - differs, findings);
    }

    private Finding changed(String id, long seq, SenderDataChanged e, SessionState facts, Set<String> verified) {
        if (e.current().rank() <= e.previous().rank()) {
            return new Finding(id, seq, "SenderDataChanged", e.rule(), Verdict.DIFFERS,
                    "sender data moved from rank " + e.previous().rank() + " to " + e.current().rank());
        }
        if (e.rule() == Rule.MSK_VERIFIED) {
            KnownSenderData before = e.previous().signerAwaitingVerification().orElse(null);
            boolean ok = before != null && e.current() instanceof SenderData.SenderVerified v
                    && v.known().equals(before)
                    && verified.contains(before.userId() + "|" + before.masterKey().toBase64());
            return new Finding(id, seq, "SenderDataChanged", e.rule(), ok ? Verdict.CONFIRMED : Verdict.DIFFERS,
                    ok ? "the recorded master key was verified by the local user"
                            : "no verification of the recorded master key precedes this upgrade");
        }
        return recheck(id, seq, "SenderDataChanged", e.rule(), facts, e.evidence(), e.current());
    }

    private Finding discarded(String id, long seq, SessionDiscarded e, SessionState facts,
                              Set<String> tamperingSeen) {
        if (e.evidence() == null) {
            boolean ok = facts.sender() != null && tamperingSeen.contains(facts.sender());
            return new Finding(id, seq, "SessionDiscarded", e.rule(), ok ? Verdict.CONFIRMED : Verdict.UNVERIFIABLE,
                    ok ? "tampered key material of " + facts.sender() + " was rejected before this discard"
                            : "no recorded evidence for this discard");
        }
        return recheck(id, seq, "SessionDiscarded", e.rule(), facts, e.evidence(), null);
    }

    /** Re-verifies the evidence's signatures and re-runs the decision; {@code expected} null = a refusal. */
    private Finding recheck(String id, long seq, String event, Rule rule, SessionState facts, DecisionEvidence evidence,
                            SenderData expected) {
        if (!facts.exists() || evidence == null) {
            return new Finding(id, seq, event, rule, Verdict.UNVERIFIABLE, "the decision's inputs are not recorded");
        }
        Rechecked again = Rechecked.run(facts.sender(), facts.senderKey(), facts.claimedEd25519(), facts.imported(),
                evidence);
        if (again.problem() != null) {
            return new Finding(id, seq, event, rule, Verdict.DIFFERS, again.problem());
        }
        boolean sameRule = again.rule() == rule;
        boolean sameAnswer = expected == null ? again.senderData() == null
                : again.senderData() != null && again.senderData().equals(expected);
        if (sameRule && sameAnswer) {
            return new Finding(id, seq, event, rule, Verdict.CONFIRMED, "signatures verify; same rule and answer");
        }
        if (sameRule && again.senderData() == null && "SessionReceived".equals(event)) {
            // Tampering found on arrival: the session was stored (with a placeholder) and discarded at once.
            return new Finding(id, seq, event, rule, Verdict.CONFIRMED, "tampering on arrival; discarded");
        }
        return new Finding(id, seq, event, rule, Verdict.DIFFERS, "today's rules give " + again.rule() + " -> "
                + (again.senderData() == null ? "a refusal" : again.senderData().getClass().getSimpleName()));
    }
}
