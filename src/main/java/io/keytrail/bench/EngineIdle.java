package io.keytrail.bench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.context.ApplicationContext;

/**
 * Waits, before a timed phase, until every streaming event processor (the key-query saga's) has caught
 * up with the events of the phase before: otherwise a phase pays for the previous phase's background
 * work, and a faster phase makes the next one look slower (seen: import at half speed right after a
 * fast decrypt phase, while the saga processor still read the ingest's events).
 */
final class EngineIdle {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final EventProcessingConfiguration processing;
    private final PrintStream progress;

    EngineIdle(ApplicationContext context, PrintStream progress) {
        this.processing = context.getBean(EventProcessingConfiguration.class);
        this.progress = progress;
    }

    /** Returns once every running streaming processor is caught up, or after two minutes (said on stderr). */
    void await() {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!caughtUp()) {
            if (System.nanoTime() - deadline >= 0) {
                progress.println("bench: the event processors did not catch up within two minutes; measuring anyway");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private boolean caughtUp() {
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .allMatch(p -> p.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp));
    }
}
