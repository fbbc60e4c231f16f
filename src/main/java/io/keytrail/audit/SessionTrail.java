package io.keytrail.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionRef;
import io.keytrail.session.SessionState;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;

/**
 * A session's story for a person: every event of the session in order with its time, the sender data
 * before and after (by the shared fold, {@link SessionState}), the rule and what triggered it, and the
 * evidence in words ({@link EvidenceWords}). No session key appears, sealed or not.
 *
 * <pre>{"room_id","session_id","sender_data","discarded","events":[{"sequence","time","event","from","to",
 * "change","discarded","rule","step","trigger","evidence":[…],"detail"}]}</pre>
 */
@Component
public class SessionTrail {
    private final EventStore events;
    private final ObjectMapper mapper;

    public SessionTrail(EventStore events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    /** The trail, or empty when the store holds no session {@code sessionId} in {@code roomId}. */
    public Optional<ObjectNode> of(String roomId, String sessionId) {
        SessionRef ref = new SessionRef(roomId, sessionId);
        ObjectNode out = mapper.createObjectNode();
        out.put("room_id", roomId);
        out.put("session_id", sessionId);
        ArrayNode steps = mapper.createArrayNode();
        Map<String, List<DomainEventMessage<?>>> identities = new HashMap<>();
        EvidenceWords.Verifications verifications = (user, key, at) ->
                verification(identities.computeIfAbsent(user, this::identityEvents), key, at);
        SessionState state = SessionState.NONE;
        DomainEventStream stream = events.readEvents(ref.aggregateId());
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            SessionState after = state.apply(message.getPayload());
            steps.add(step(message, state, after, verifications));
            state = after;
        }
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        out.set("sender_data", state.senderData() == null ? null : SenderDataJson.write(state.senderData()));
        out.put("discarded", state.discarded());
        out.set("events", steps);
        return Optional.of(out);
    }

    private ObjectNode step(DomainEventMessage<?> message, SessionState before, SessionState after,
                            EvidenceWords.Verifications verifications) {
        Object event = message.getPayload();
        Instant at = message.getTimestamp();
        ObjectNode step = mapper.createObjectNode();
        step.put("sequence", message.getSequenceNumber());
        step.put("time", at.toString());
        step.put("event", message.getPayloadType().getSimpleName());
        step.set("from", json(before.senderData()));
        step.set("to", json(after.senderData()));
        step.put("change", name(before.senderData()) + " -> " + name(after.senderData())
                + (after.discarded() && !before.discarded() ? " (discarded)" : ""));
        step.put("discarded", after.discarded());
        String sender = after.sender() != null ? after.sender() : before.sender();
        if (event instanceof SessionReceived e) {
            decision(step, e.rule(), null, "a room key from " + e.sender() + " (curve25519 " + e.senderKey()
                    + ") arrived over Olm", EvidenceWords.of(e.sender(), e.evidence(), at, verifications));
        } else if (event instanceof SessionImported e) {
            decision(step, e.rule(), null, "imported (" + e.source() + "); claimed sender key "
                    + e.claimedSenderKey() + ", never authenticated", List.of("an import carries no proof of its sender"));
        } else if (event instanceof SenderDataChanged e) {
            decision(step, e.rule(), e.trigger() == null ? null : e.trigger().name(), null,
                    e.rule() == Rule.MSK_VERIFIED ? upgrade(e, sender, at, verifications)
                            : EvidenceWords.of(sender, e.evidence(), at, verifications));
        } else if (event instanceof SessionDiscarded e) {
            decision(step, e.rule(), null, e.cause() + (e.code() == null ? "" : " (" + e.code() + ")")
                            + (e.detail() == null ? "" : ": " + e.detail()),
                    evidence(sender, e.evidence(), at, verifications));
        } else if (event instanceof SessionReceivedOverImport e) {
            decision(step, e.rule(), null, "an authenticated copy from " + e.sender() + " (curve25519 " + e.senderKey()
                    + ") replaced the imported one" + (e.ratchetTaken() ? ", with its better ratchet" : ""),
                    EvidenceWords.of(e.sender(), e.evidence(), at, verifications));
        } else if (event instanceof SessionForgotten e) {
            step.put("detail", "forgotten: its key material was destroyed" + (e.by() == null ? "" : " by " + e.by())
                    + (e.reason() == null ? "" : " (" + e.reason() + ")"));
        } else if (event instanceof SenderKeysWanted e) {
            step.put("detail", "the decision needs " + e.userId() + "'s keys from the homeserver: "
                    + (e.senderKey() != null ? "the device with curve25519 " + e.senderKey() : "the cross-signing identity")
                    + " (the slow lane asks)");
        } else if (event instanceof SessionKeyResealed) {
            step.put("detail", "its stored key was re-sealed under the current sealing key");
        } else if (event instanceof RatchetImproved e) {
            step.put("detail", "a copy starting at message index " + e.firstKnownIndex() + " was grafted on");
        } else if (event instanceof SessionCopyKept e) {
            step.put("detail", "another copy arrived and added nothing (" + e.ratchet() + ")");
        } else if (event instanceof SessionCopyRefused e) {
            step.put("detail", "a copy was refused: " + e.code() + " " + e.detail());
        } else if (event instanceof RoomKeyRefused e) {
            decision(step, null, null, "a room key was refused: " + e.code() + " " + e.detail(),
                    evidence(e.sender(), e.evidence(), at, verifications));
        }
        return step;
    }

    private static List<String> evidence(String sender, DecisionEvidence evidence, Instant at,
                                         EvidenceWords.Verifications verifications) {
        return evidence == null ? List.of() : EvidenceWords.of(sender, evidence, at, verifications);
    }

    private static void decision(ObjectNode step, Rule rule, String trigger, String detail, List<String> evidence) {
        if (rule != null) {
            step.put("rule", rule.name());
            if (!rule.step().isEmpty()) {
                step.put("step", rule.step());
            }
        }
        if (trigger != null) {
            step.put("trigger", trigger);
        }
        if (!evidence.isEmpty()) {
            ArrayNode words = step.putArray("evidence");
            evidence.forEach(words::add);
        }
        if (detail != null) {
            step.put("detail", detail);
        }
    }

    private static List<String> upgrade(SenderDataChanged e, String sender, Instant at,
                                        EvidenceWords.Verifications verifications) {
        String user = e.verified() != null ? e.verified().userId() : sender;
        String key = e.verified() != null ? e.verified().masterKey()
                : e.previous().signerAwaitingVerification().map(k -> k.masterKey().toBase64()).orElse(null);
        if (key == null) {
            return List.of("the upgrade names no verified master key");
        }
        String verified = verifications.of(user, key, at);
        return List.of("the session's recorded MSK " + key + " of " + user + (verified != null ? " verified by "
                + verified : " has no verification in the store before this upgrade"));
    }

    /** The verification of {@code key} in force at {@code at}: {@code "MskVerified at T"}, or null. */
    private static String verification(List<DomainEventMessage<?>> identity, String key, Instant at) {
        String found = null;
        for (DomainEventMessage<?> message : identity) {
            if (message.getTimestamp().isAfter(at)) {
                break;
            }
            Object event = message.getPayload();
            if (event instanceof MskVerified e && e.masterKey().equals(key)
                    || event instanceof MskVerifiedByUserSigningKey u && u.masterKey().equals(key)) {
                found = message.getPayloadType().getSimpleName() + " at " + message.getTimestamp();
            } else if (event instanceof VerificationWithdrawn) {
                found = null;
            }
        }
        return found;
    }

    private List<DomainEventMessage<?>> identityEvents(String userId) {
        List<DomainEventMessage<?>> out = new ArrayList<>();
        if (userId == null) {
            return out;
        }
        DomainEventStream stream = events.readEvents(userId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            Object payload = message.getPayload();
            if (payload instanceof MskVerified || payload instanceof MskVerifiedByUserSigningKey
                    || payload instanceof VerificationWithdrawn) {
                out.add(message);
            }
        }
        return out;
    }

    private com.fasterxml.jackson.databind.JsonNode json(SenderData data) {
        return data == null ? mapper.nullNode() : SenderDataJson.write(data);
    }

    private static String name(SenderData data) {
        return data == null ? "none" : data.getClass().getSimpleName();
    }
}
