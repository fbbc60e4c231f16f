package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * ADR 0029: the event store's reader (here with a fetch delay of an hour, so that only a wake-up can make
 * it read) is woken once the store transaction that an input's units of work join has committed: a
 * wake-up given when the joined unit "commits" would find nothing yet and the reader would sleep.
 */
class CommitAwareEventStoreTest {
    /** Events appended stay invisible to readers until {@link #commit()}, like rows of an open transaction. */
    private final UncommittedUntilCommit storage = new UncommittedUntilCommit();
    private final EmbeddedEventStore store = CommitAwareEventStore.commitAwareBuilder().storageEngine(storage)
            .fetchDelay(1).timeUnit(TimeUnit.HOURS).build();

    @AfterEach
    void closeStore() {
        store.shutDown();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.setActualTransactionActive(false);
    }

    @Test
    void eventOfAUnitThatJoinsAnOpenTransaction_reachesTheTrackingReaderOnceThatTransactionCommits() throws Exception {
        TrackingEventStream reader = tailingReader();
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);

        DefaultUnitOfWork.startAndGet(null).execute(() -> store.publish(GenericEventMessage.asEventMessage("wanted")));
        assertThat(TransactionSynchronizationManager.getSynchronizations())
                .as("the wake-up waits for the transaction").hasSize(1);
        storage.commit();
        TransactionSynchronizationUtils.triggerAfterCommit();

        assertThat(reader.hasNextAvailable(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.nextAvailable().getPayload()).isEqualTo("wanted");
    }

    @Test
    void eventOfAUnitOutsideAnyTransaction_reachesTheTrackingReaderAtOnce() throws Exception {
        TrackingEventStream reader = tailingReader();
        storage.commit(); // nothing holds the rows back: the unit's own commit is the store's

        DefaultUnitOfWork.startAndGet(null).execute(() -> store.publish(GenericEventMessage.asEventMessage("answered")));

        assertThat(reader.hasNextAvailable(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.nextAvailable().getPayload()).isEqualTo("answered");
    }

    /** A reader at the head that has joined the store's shared (tailing) reader. */
    private TrackingEventStream tailingReader() throws InterruptedException {
        TrackingEventStream reader = store.openStream(null);
        assertThat(reader.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        return reader;
    }

    private static final class UncommittedUntilCommit implements EventStorageEngine {
        private final InMemoryEventStorageEngine events = new InMemoryEventStorageEngine();
        private volatile boolean committed;

        void commit() {
            committed = true;
        }

        @Override
        public void appendEvents(List<? extends EventMessage<?>> list) {
            events.appendEvents(list);
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            events.storeSnapshot(snapshot);
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            return committed ? events.readEvents(token, mayBlock) : Stream.empty();
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return events.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public java.util.Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return events.readSnapshot(aggregateIdentifier);
        }
    }
}
