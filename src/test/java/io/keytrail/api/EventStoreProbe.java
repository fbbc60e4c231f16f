package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes and reads one small domain event through Axon's {@link EventStore}, the way an aggregate's
 * repository would, so the storage tests exercise the real serializer, JPA mapping and database.
 */
final class EventStoreProbe {

    /** The aggregate type stored in {@code domain_event_entry.type}. */
    static final String AGGREGATE_TYPE = "StorageProbe";

    /** A tiny event payload; a record, like every Keytrail event. */
    record ProbeRecorded(String probeId, String note) {
    }

    private EventStoreProbe() {
    }

    /**
     * Starts the whole application as {@code java -jar} would (without the web server), with the given
     * profiles and command-line arguments; closing the returned context is the shutdown.
     */
    static ConfigurableApplicationContext startApplication(String[] profiles, String... args) {
        return new SpringApplicationBuilder(KeytrailApplication.class)
                .web(WebApplicationType.NONE)
                .profiles(profiles)
                .run(args);
    }

    /** Appends {@code payload} as event number 0 of aggregate {@code probeId}, committed in its own transaction. */
    static void append(ConfigurableApplicationContext context, String probeId, ProbeRecorded payload) {
        EventStore eventStore = context.getBean(EventStore.class);
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        tx.executeWithoutResult(status -> eventStore.publish(
                new GenericDomainEventMessage<>(AGGREGATE_TYPE, probeId, 0L, payload)));
    }

    /** Every event of aggregate {@code probeId}, in sequence order. */
    static List<DomainEventMessage<?>> read(ConfigurableApplicationContext context, String probeId) {
        return context.getBean(EventStore.class).readEvents(probeId).asStream()
                .<DomainEventMessage<?>>map(event -> event)
                .toList();
    }

    /** Asserts that {@code events} is exactly the one probe event appended by {@link #append}. */
    static void assertSingleProbeEvent(List<DomainEventMessage<?>> events, String probeId, ProbeRecorded payload) {
        assertThat(events).hasSize(1);
        DomainEventMessage<?> event = events.get(0);
        assertThat(event.getAggregateIdentifier()).isEqualTo(probeId);
        assertThat(event.getSequenceNumber()).isZero();
        assertThat(event.getType()).isEqualTo(AGGREGATE_TYPE);
        assertThat((Object) event.getPayload()).isEqualTo(payload);
    }
}
