package io.keytrail.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The batch write path for sessions that have no history yet (issue 13, ADR 0017). A session without
 * events is exactly {@link SessionState#NONE}: loading its aggregate would replay nothing, and its
 * command handler would apply {@link MegolmSession#firstCopyEvents}. So instead of one command round
 * trip and one empty aggregate load per room key, the caller decides, and the events of all the new
 * sessions of a batch are appended here in one call, numbered 0, 1, … exactly as the aggregate would
 * number them, under the aggregate's type. The store's uniqueness of (aggregate, sequence number) stays
 * the conflict detector: if another writer created one of these sessions meanwhile, the append fails
 * as Axon's own would, the unit of work rolls back and is retried, and the retry finds the session
 * existing and sends it to its aggregate. The subscribing directory projection receives the events in
 * the same transaction, as for events applied by an aggregate.
 *
 * <p>Must run inside an open transaction (a {@code directory.WriteUnits} unit).
 */
@Component
public class NewSessions {
    /** The aggregate type Axon records for {@link MegolmSession} events (the class's simple name). */
    static final String AGGREGATE_TYPE = MegolmSession.class.getSimpleName();

    private final EventStore eventStore;
    /** The serializer the event store writes payloads with (Axon's {@code eventSerializer} bean). */
    private final Serializer eventSerializer;
    @PersistenceContext
    private EntityManager entityManager;

    public NewSessions(EventStore eventStore, @Qualifier("eventSerializer") Serializer eventSerializer) {
        this.eventStore = eventStore;
        this.eventSerializer = eventSerializer;
    }

    /** Which of these aggregates already have events (one indexed query). */
    public Set<String> existing(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(entityManager.createQuery("select distinct e.aggregateIdentifier from DomainEventEntry e "
                + "where e.aggregateIdentifier in :ids", String.class).setParameter("ids", aggregateIds).getResultList());
    }

    /**
     * Appends the first events of new sessions, by aggregate id, in one call to the event store (one
     * flush, JDBC-batched inserts); the directory projection follows in the same transaction.
     */
    public void append(Map<String, List<Object>> eventsByAggregate) {
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        eventsByAggregate.forEach((aggregateId, events) -> {
            long sequence = 0;
            for (Object event : events) {
                messages.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, sequence++, event));
            }
        });
        if (!messages.isEmpty()) {
            // Serialised on every core before the append (ADR 0022): an Axon message keeps its serialised
            // payload and metadata per serializer, and the store's entries take exactly those bytes, so the
            // request thread no longer writes each event's evidence JSON itself. The bytes are the same.
            messages.parallelStream().forEach(message -> {
                message.serializePayload(eventSerializer, byte[].class);
                message.serializeMetaData(eventSerializer, byte[].class);
            });
            eventStore.publish(messages);
        }
    }
}
