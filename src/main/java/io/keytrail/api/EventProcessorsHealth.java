package io.keytrail.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health of Axon's event processors (ADR 0015): each one's mode, whether it runs, whether it is in
 * error, and for a streaming processor its lag, the event store's head global index minus the lowest
 * position of the segments this node holds. DOWN when any processor is in error (an event handler keeps
 * failing); a processor that does not run is reported, not DOWN: the tools stop the key-query saga on
 * purpose. Lag has no threshold here: alert on {@code keytrail.event.processor.lag} instead.
 */
class EventProcessorsHealth implements HealthIndicator {
    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    EventProcessorsHealth(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    @Override
    public Health health() {
        OptionalLong head = head();
        Health.Builder health = Health.up();
        head.ifPresent(h -> health.withDetail("headGlobalIndex", h));
        for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
            EventProcessor processor = entry.getValue();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("running", processor.isRunning());
            detail.put("error", processor.isError());
            if (processor instanceof StreamingEventProcessor streaming) {
                detail.put("mode", "streaming");
                Map<Integer, EventTrackerStatus> segments = streaming.processingStatus();
                detail.put("segmentsClaimed", segments.size());
                lag(head, segments).ifPresent(lag -> detail.put("lag", lag));
                segments.values().stream().filter(EventTrackerStatus::isErrorState).findFirst()
                        .ifPresent(s -> detail.put("segmentError", String.valueOf(s.getError())));
            } else {
                detail.put("mode", "subscribing");
            }
            if (processor.isError() || detail.containsKey("segmentError")) {
                health.down();
            }
            health.withDetail(entry.getKey(), detail);
        }
        return health.build();
    }

    /** Lag per streaming processor (events not yet handled by the segments this node holds). */
    Map<String, Long> lags() {
        OptionalLong head = head();
        Map<String, Long> lags = new LinkedHashMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                lag(head, streaming.processingStatus()).ifPresent(lag -> lags.put(name, lag));
            }
        });
        return lags;
    }

    private OptionalLong head() {
        TrackingToken token = eventStore.createHeadToken();
        return token == null ? OptionalLong.of(-1) : token.position();
    }

    private static OptionalLong lag(OptionalLong head, Map<Integer, EventTrackerStatus> segments) {
        if (head.isEmpty() || segments.isEmpty()) {
            return OptionalLong.empty();
        }
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus status : segments.values()) {
            OptionalLong position = status.getCurrentPosition();
            lowest = Math.min(lowest, position.isPresent() ? position.getAsLong() : -1);
        }
        return OptionalLong.of(Math.max(0, head.getAsLong() - lowest));
    }
}
