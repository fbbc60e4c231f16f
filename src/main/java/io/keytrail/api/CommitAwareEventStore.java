package io.keytrail.api;

import java.util.List;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Axon's embedded event store, waking its tracking processors when the events are really committed (ADR 0029).
 *
 * <p>The store's reader thread sleeps up to its fetch delay (one second) between reads and is woken after
 * each unit of work commits. An input runs as one Spring transaction that every command's unit of work
 * joins ({@code WriteUnits}, ADR 0009): a joined unit "commits" before the store does, so the reader woke
 * too early, read nothing new and slept a full second. Every hop of the key-query saga (a wanted key, an
 * answer, a failure) waited that second. Inside such a transaction the wake-up is given once the
 * transaction has committed; outside one (a processor's own unit, a unit without a Spring transaction) at
 * once, as before. The reader reads as often as before: once per commit.
 */
final class CommitAwareEventStore extends EmbeddedEventStore {

    private CommitAwareEventStore(Builder builder) {
        super(builder);
    }

    static Builder commitAwareBuilder() {
        return new Builder();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake(events);
                }
            });
        } else {
            wake(events);
        }
    }

    private void wake(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
    }

    /** {@link EmbeddedEventStore.Builder} that builds a {@link CommitAwareEventStore}. */
    static final class Builder extends EmbeddedEventStore.Builder {
        @Override
        public CommitAwareEventStore build() {
            validate();
            return new CommitAwareEventStore(this);
        }
    }
}
