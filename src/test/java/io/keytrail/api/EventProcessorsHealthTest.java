package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.OptionalLong;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The event processors' health and lag (ADR 0015), on stand-in processors. */
@SuppressWarnings("unchecked")
class EventProcessorsHealthTest {
    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    private final EventStore eventStore = mock(EventStore.class);

    private StreamingEventProcessor streaming(boolean error, long... positions) {
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        when(processor.isRunning()).thenReturn(true);
        when(processor.isError()).thenReturn(error);
        Map<Integer, EventTrackerStatus> segments = new java.util.HashMap<>();
        for (int i = 0; i < positions.length; i++) {
            EventTrackerStatus status = mock(EventTrackerStatus.class);
            when(status.getCurrentPosition()).thenReturn(OptionalLong.of(positions[i]));
            segments.put(i, status);
        }
        when(processor.processingStatus()).thenReturn(segments);
        return processor;
    }

    @Test
    void runningProcessors_areUp_andTheLagIsTheHeadMinusTheSlowestSegment() {
        EventProcessor subscribing = mock(EventProcessor.class);
        when(subscribing.isRunning()).thenReturn(true);
        StreamingEventProcessor saga = streaming(false, 7, 9);
        when(processing.eventProcessors()).thenReturn(Map.of("directory", subscribing, "saga", saga));
        when(eventStore.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(10));

        Health health = new EventProcessorsHealth(processing, eventStore).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("headGlobalIndex")).isEqualTo(10L);
        assertThat((Map<Object, Object>) health.getDetails().get("saga")).containsEntry("lag", 3L).containsEntry("segmentsClaimed", 2);
        assertThat((Map<Object, Object>) health.getDetails().get("directory")).containsEntry("mode", "subscribing");
        assertThat(new EventProcessorsHealth(processing, eventStore).lags()).isEqualTo(Map.of("saga", 3L));
    }

    @Test
    void aProcessorInError_isDown() {
        StreamingEventProcessor saga = streaming(true, 10);
        when(processing.eventProcessors()).thenReturn(Map.of("saga", saga));
        when(eventStore.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(10));

        Health health = new EventProcessorsHealth(processing, eventStore).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((Map<Object, Object>) health.getDetails().get("saga")).containsEntry("error", true).containsEntry("lag", 0L);
    }

    @Test
    void aProcessorHoldingNoSegment_hasNoLag_andIsStillUp() {
        StreamingEventProcessor saga = streaming(false);
        when(processing.eventProcessors()).thenReturn(Map.of("saga", saga));
        when(eventStore.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(4));

        Health health = new EventProcessorsHealth(processing, eventStore).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat((Map<Object, Object>) health.getDetails().get("saga")).doesNotContainKey("lag").containsEntry("segmentsClaimed", 0);
    }
}
