package io.keytrail.audit;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

import io.keytrail.identity.IdentityEvents.KeysRejected;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.ImportClaim;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionState;

/**
 * One re-verification pass over the store's events in global order: folds what each decision needs (the
 * session's facts by the shared fold, each user's verification state, users whose key material was refused
 * as tampered) and hands every decision event to {@link DecisionReverifier}'s checks.
 *
 * <p>Memory: one entry per user, plus at most {@code capacity} aggregates' positions (last sequence number
 * and the session's facts, without its sealed key or device keys). An aggregate pushed out of that bound
 * is folded again from its own events in the store when its next event arrives ({@link History}), so the
 * pass stays bounded however many sessions the store holds; no event and no finding is kept.
 */
final class AuditPass {
    /** An aggregate's position before the event with {@code sequence}: its last sequence number and facts. */
    record Position(long lastSequence, SessionState state) {
    }

    /** Folds an aggregate again from the store: its events before {@code sequence}, or null when it has none. */
    @FunctionalInterface
    interface History {
        Position before(String aggregateId, long sequence);
    }

    private final DecisionReverifier checks;
    private final History history;
    private final Map<String, Position> positions;
    private final VerificationFold verification = new VerificationFold();
    private final Set<String> tamperingSeen = new HashSet<>();
    private long reloads;
    /** Strings shared between aggregates' facts (user ids, device keys, rooms); cleared when it grows past this. */
    private static final int SHARED_STRINGS = 10_000;
    private final Map<String, String> strings = new java.util.HashMap<>();

    AuditPass(DecisionReverifier checks, int capacity, History history) {
        this.checks = checks;
        this.history = history;
        this.positions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Position> eldest) {
                return size() > capacity;
            }
        };
    }

    /** How often an aggregate pushed out of the bound was folded again from the store. */
    long reloads() {
        return reloads;
    }

    /** Folds one stored event and passes the findings it gives (none, one, or a gap and a decision) on. */
    void accept(EventMessage<?> message, Consumer<DecisionReverifier.Finding> findings) {
        Object event = message.getPayload();
        String aggregateId = message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : null;
        long sequence = message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : -1;
        SessionState before = SessionState.NONE;
        if (aggregateId != null) {
            Position position = positions.get(aggregateId);
            if (position == null && sequence > 0) {
                reloads++;
                position = history.before(aggregateId, sequence);
                if (position != null) {
                    position = new Position(position.lastSequence(), slim(position.state()));
                }
            }
            Long previous = position == null ? null : position.lastSequence();
            long expected = previous == null ? 0 : previous + 1;
            if (sequence > expected) {
                findings.accept(DecisionReverifier.gap(aggregateId, sequence, previous, expected));
            }
            before = position == null ? SessionState.NONE : position.state();
        }
        // The session's facts (creator, keys, imported) before and after this event, by the shared fold.
        SessionState after = before.apply(event);
        if (aggregateId != null) {
            positions.put(aggregateId, new Position(sequence, after == before ? before : slim(after)));
        }
        verification.apply(event);
        if (event instanceof KeysRejected e && e.rejections().stream().anyMatch(r -> r.tampering())) {
            tamperingSeen.add(e.userId());
        } else if (event instanceof SessionReceived e) {
            findings.accept(checks.recheck(aggregateId, sequence, "SessionReceived", e.rule(), after, e.evidence(),
                    e.senderData(), verification));
        } else if (event instanceof SessionReceivedOverImport e) {
            findings.accept(checks.overImport(aggregateId, sequence, e, before, after, verification));
        } else if (event instanceof SenderDataChanged e) {
            findings.accept(checks.changed(aggregateId, sequence, e, before, verification));
        } else if (event instanceof SessionDiscarded e) {
            findings.accept(checks.discarded(aggregateId, sequence, e, before, tamperingSeen, verification));
        }
    }

    /** One step of folding an aggregate's events again ({@link History}): the position after {@code message}. */
    static Position fold(Position previous, DomainEventMessage<?> message) {
        SessionState state = previous == null ? SessionState.NONE : previous.state();
        return new Position(message.getSequenceNumber(), state.apply(message.getPayload()));
    }

    /**
     * Only the facts the checks read (creator, keys, imported, an import's claimed owner; the room, for {@link SessionState#exists}); the
     * sealed key, device keys, sender data and ids are dropped, and repeated strings (one device sends many
     * sessions) are shared. About 250 bytes per aggregate in the window.
     */
    private SessionState slim(SessionState s) {
        if (s == null || !s.exists()) {
            return s;
        }
        return new SessionState(null, shared(s.roomId()), null, shared(s.sender()), shared(s.senderKey()),
                shared(s.claimedEd25519()), null, s.imported(), s.sharedHistory(), List.of(), s.firstKnownIndex(),
                null, null, s.discarded(), claimOf(s), s.forgotten());
    }

    /** The claimed owner picks whose keys an import's re-decision looks at (ADR 0018); its sender data is not needed. */
    private ImportClaim claimOf(SessionState s) {
        return s.claim() == null || s.claim().userId() == null ? null : new ImportClaim(shared(s.claim().userId()), null);
    }

    private String shared(String value) {
        if (value == null) {
            return null;
        }
        if (strings.size() > SHARED_STRINGS) {
            strings.clear();
        }
        String known = strings.putIfAbsent(value, value);
        return known == null ? value : known;
    }
}
