package io.keytrail.api;

import java.time.Clock;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.keytrail.lanes.LaneProperties;

/**
 * Operations (ADR 0015): health contributors (the store is Spring Boot's {@code db}; event processors;
 * the homeserver when one is configured) and Keytrail's metrics. Actuator's exposure and access are in
 * application.yml ({@code management.*}) and {@link ApiAccessFilter}; the schema's migrations in
 * {@link SchemaMigrations}.
 */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("eventProcessors")
    EventProcessorsHealth eventProcessorsHealthIndicator(EventProcessingConfiguration processing, EventStore eventStore) {
        return new EventProcessorsHealth(processing, eventStore);
    }

    /** Only with a homeserver: without one the slow lane is off by design, nothing to report. */
    @Bean
    @ConditionalOnEnabledHealthIndicator("homeserver")
    @ConditionalOnExpression("!'${keytrail.homeserver.base-url:}'.isBlank()")
    HomeserverHealth homeserverHealthIndicator(LaneProperties lanes, Clock clock) {
        return new HomeserverHealth(lanes.homeserver().baseUrl(), lanes.homeserver().connectTimeout(), clock);
    }

    @Bean
    KeytrailMetrics keytrailMetrics(MeterRegistry registry, JdbcTemplate jdbc, Clock clock) {
        return new KeytrailMetrics(registry, jdbc, clock);
    }

    @Bean
    ProcessorLagGauges eventProcessorLagGauges(MeterRegistry registry, EventProcessingConfiguration processing,
                                               EventStore eventStore) {
        return new ProcessorLagGauges(registry, processing, new EventProcessorsHealth(processing, eventStore));
    }

    /**
     * The lag of each streaming event processor as a gauge, what to alert on; registered once the
     * processors exist (Axon builds them while the context starts).
     */
    static final class ProcessorLagGauges {
        private final MeterRegistry registry;
        private final EventProcessingConfiguration processing;
        private final EventProcessorsHealth probe;

        ProcessorLagGauges(MeterRegistry registry, EventProcessingConfiguration processing, EventProcessorsHealth probe) {
            this.registry = registry;
            this.processing = processing;
            this.probe = probe;
        }

        @EventListener(ApplicationStartedEvent.class)
        void register() {
            processing.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor) {
                    Gauge.builder("keytrail.event.processor.lag", () -> probe.lags().getOrDefault(name, 0L))
                            .description("Events stored but not yet handled by this node's segments of the processor")
                            .tag("processor", name).register(registry);
                }
            });
        }
    }
}
