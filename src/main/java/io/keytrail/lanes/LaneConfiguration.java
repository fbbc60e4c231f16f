package io.keytrail.lanes;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(LaneProperties.class)
public class LaneConfiguration {
    /** Axon names a saga's processor after the saga class. */
    static final String SAGA_PROCESSOR = "KeysQuerySagaProcessor";

    /**
     * A saga processor starts at the head of the stream by default, so a store that existed before
     * the saga was deployed (or events stored before its first token claim) would never be looked
     * at. Starting at the tail makes the first start walk the history and pick up every session still
     * waiting for keys (ADR 0005).
     *
     * <p>{@code keytrail.lanes.saga-processor.auto-start=false} (the command-line tools) leaves the
     * processor stopped: no thread, no token claimed, so a later service still walks the history.
     */
    @Bean
    ConfigurerModule keysQuerySagaStartsAtTail(
            @Value("${keytrail.lanes.saga-processor.auto-start:true}") boolean autoStart) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessorConfiguration(SAGA_PROCESSOR, c -> TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing()
                        .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                        .andAutoStart(autoStart)));
    }
}
