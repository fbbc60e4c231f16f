package io.keytrail.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.session.SessionRef;
import io.keytrail.session.SessionState;
import io.keytrail.trust.SenderData;

/**
 * A session's history as stored: every event with its time, rule and evidence (design section 8).
 * Sealed session keys are left out of what is shown; nothing else is.
 */
@Component
public class AuditTrail {
    private final EventStore events;
    private final ObjectMapper mapper;

    public AuditTrail(EventStore events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    /** What we knew about a session at a moment: its sender data and whether it was discarded. */
    public record Knowledge(SenderData senderData, boolean discarded, Instant decidedAt) {
    }

    /** The session's events in order, as JSON objects {@code {sequence, timestamp, event, payload}}. */
    public List<ObjectNode> history(String roomId, String sessionId) {
        List<ObjectNode> out = new ArrayList<>();
        for (DomainEventMessage<?> message : read(roomId, sessionId)) {
            ObjectNode entry = mapper.createObjectNode();
            entry.put("sequence", message.getSequenceNumber());
            entry.put("timestamp", message.getTimestamp().toString());
            entry.put("event", message.getPayloadType().getSimpleName());
            JsonNode payload = mapper.valueToTree(message.getPayload());
            if (payload instanceof ObjectNode object) {
                object.remove("sealedSessionKey");
            }
            entry.set("payload", payload);
            out.add(entry);
        }
        return out;
    }

    /** "What did we know at time T?": the state after the last event at or before {@code at}. */
    public Optional<Knowledge> asOf(String roomId, String sessionId, Instant at) {
        SessionState state = SessionState.NONE;
        Instant decidedAt = null;
        for (DomainEventMessage<?> message : read(roomId, sessionId)) {
            if (message.getTimestamp().isAfter(at)) {
                break;
            }
            state = state.apply(message.getPayload());
            if (state.exists() && SessionState.recordsDecision(message.getPayload())) {
                decidedAt = message.getTimestamp();
            }
        }
        return state.exists() ? Optional.of(new Knowledge(state.senderData(), state.discarded(), decidedAt))
                : Optional.empty();
    }

    private List<DomainEventMessage<?>> read(String roomId, String sessionId) {
        List<DomainEventMessage<?>> out = new ArrayList<>();
        events.readEvents(new SessionRef(roomId, sessionId).aggregateId()).forEachRemaining(out::add);
        return out;
    }
}
