package io.keytrail.lanes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LaneProperties.class)
public class LaneConfiguration {
    /** Axon names a saga's processor after the saga class. */
    static final String SAGA_PROCESSOR = "KeysQuerySagaProcessor";

    /**
     * The homeserver the slow lane asks, from {@code keytrail.homeserver.*}; none without a base URL (the
     * slow lane is then off). A host that talks to its homeserver its own way declares its own
     * {@link HomeserverClient} bean instead.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("!'${keytrail.homeserver.base-url:}'.isBlank()")
    HomeserverClient homeserverClient(LaneProperties properties, ObjectMapper mapper) {
        LaneProperties.Homeserver hs = properties.homeserver();
        return new HomeserverClient(hs.baseUrl(), hs.accessToken(), hs.connectTimeout(), hs.readTimeout(), mapper);
    }

    /**
     * A saga processor starts at the head of the stream by default, so a store that existed before
     * the saga was deployed (or events stored before its first token claim) would never be looked
     * at. Starting at the tail makes the first start walk the history and pick up every session still
     * waiting for keys (ADR 0005).
     *
     * <p>{@code keytrail.lanes.saga-processor.auto-start=false} (the command-line tools) leaves the
     * processor stopped: no thread, no token claimed, so a later service still walks the history.
     *
     * <p>Nodes sharing one store share the saga's segments through the token table: a node claims at
     * most one segment per thread. One segment and one thread by default; a cluster of N nodes sets
     * {@code keytrail.cluster.saga-segments=N} and {@code saga-threads=1} so each node takes one
     * (ADR 0009 says what that costs while a node is down).
     *
     * <p>The processor handles up to {@code keytrail.lanes.saga-processor.batch-size} events (default 100)
     * per transaction and token update: with one event per batch, storing its token after every
     * {@code SessionReceived} cost the processor a quarter of its time while room keys streamed in
     * (issue 13, ADR 0017). A batch takes only the events already stored; it never waits for more.
     *
     * <p>While no event comes, the processor's thread waits for one up to
     * {@code keytrail.lanes.saga-processor.event-availability-timeout} (Axon's 1 s by default) before it
     * looks whether it should stop: a shutdown waits that long for it. New events wake it at once either way;
     * test engines, which start and stop often, set 100 ms (ADR 0029).
     */
    @Bean
    ConfigurerModule keysQuerySagaStartsAtTail(
            @Value("${keytrail.lanes.saga-processor.auto-start:true}") boolean autoStart,
            @Value("${keytrail.cluster.saga-segments:1}") int segments,
            @Value("${keytrail.cluster.saga-threads:1}") int threads,
            @Value("${keytrail.lanes.saga-processor.batch-size:100}") int batchSize,
            @Value("${keytrail.lanes.saga-processor.event-availability-timeout:1s}") String eventAvailability) {
        // Parsed here: a host's context need not convert strings to durations for @Value.
        Duration eventAvailabilityTimeout = DurationStyle.detectAndParse(eventAvailability);
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessorConfiguration(SAGA_PROCESSOR, c -> TrackingEventProcessorConfiguration
                        .forParallelProcessing(threads)
                        .andInitialSegmentsCount(segments)
                        .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                        .andAutoStart(autoStart)
                        .andBatchSize(batchSize)
                        .andEventAvailabilityTimeout(eventAvailabilityTimeout.toMillis(), TimeUnit.MILLISECONDS)));
    }
}
