package io.keytrail.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;

import io.keytrail.audit.DecisionReverifier.Finding;
import io.keytrail.audit.DecisionReverifier.Verdict;

/**
 * Re-verifies every decision in the store (the checks of {@link DecisionReverifier}) as a stream: the store
 * is read in global order one page at a time (a page is resumed from the tracking token of the previous
 * page's last event, so upcasters apply as for any reader), every finding is handed to the caller at once,
 * and what is kept between events is bounded ({@link AuditPass}). Used by {@code audit verify} and the admin
 * re-verification endpoint. Reads only.
 */
@Component
public class StoreVerifier {
    /** Events read per query. */
    static final int PAGE = 500;
    /** Aggregates whose position is kept between their events (about 300 bytes each). */
    static final int AGGREGATES = 50_000;

    private final EventStorageEngine storage;
    private final DecisionReverifier checks;

    public StoreVerifier(EventStorageEngine storage, DecisionReverifier checks) {
        this.storage = storage;
        this.checks = checks;
    }

    /** Counts of one pass; {@code decisions} counts every finding (a sequence gap included), as the report does. */
    public record Summary(long events, long decisions, long confirmed, long differs, long unverifiable,
                          long reloads) {
        /** True when every decision is confirmed or unverifiable. */
        public boolean clean() {
            return differs == 0;
        }
    }

    /** Told after every event; decides itself how often to say something. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (events, decisions) -> { };

        void at(long events, long decisions);
    }

    /** Verifies the whole store; every finding (confirmed ones too) goes to {@code findings} as it is made. */
    public Summary verify(Consumer<Finding> findings, Progress progress) {
        return verify(findings, progress, PAGE, AGGREGATES);
    }

    Summary verify(Consumer<Finding> findings, Progress progress, int page, int aggregates) {
        AuditPass pass = new AuditPass(checks, aggregates, this::before);
        long[] counts = new long[4]; // events, confirmed, differs, unverifiable
        Consumer<Finding> counting = f -> {
            counts[f.verdict() == Verdict.CONFIRMED ? 1 : f.verdict() == Verdict.DIFFERS ? 2 : 3]++;
            findings.accept(f);
        };
        TrackingToken token = null;
        while (true) {
            List<TrackedEventMessage<?>> batch = new ArrayList<>(page);
            try (Stream<? extends TrackedEventMessage<?>> stream = storage.readEvents(token, false)) {
                stream.limit(page).forEach(batch::add);
            }
            for (TrackedEventMessage<?> message : batch) {
                pass.accept(message, counting);
                counts[0]++;
                progress.at(counts[0], counts[1] + counts[2] + counts[3]);
            }
            if (batch.size() < page) {
                break;
            }
            token = batch.get(batch.size() - 1).trackingToken();
        }
        return new Summary(counts[0], counts[1] + counts[2] + counts[3], counts[1], counts[2], counts[3],
                pass.reloads());
    }

    /** An aggregate's position before {@code sequence}, folded again from its own events. */
    private AuditPass.Position before(String aggregateId, long sequence) {
        DomainEventStream stream = storage.readEvents(aggregateId);
        AuditPass.Position position = null;
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getSequenceNumber() >= sequence) {
                break;
            }
            position = AuditPass.fold(position, message);
        }
        return position;
    }
}
