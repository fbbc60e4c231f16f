package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import io.keytrail.EngineSpringTest;

/**
 * The application's own event serializer (the bean Axon stores events with) writes exactly the golden
 * bytes, so the plain {@link GoldenEventsTest} pins what the store really holds.
 */
@EngineSpringTest
class GoldenEventsStoreTest {
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Autowired
    List<EventUpcaster> applicationUpcasters;

    @Test
    void theApplicationRegistersExactlyTheUpcastersTheGoldenFilesAreReadWith() {
        assertThat(applicationUpcasters).extracting(Object::getClass)
                .containsExactlyInAnyOrderElementsOf(GoldenEventsTest.UPCASTERS.stream().map(Object::getClass).toList());
    }

    @Test
    void applicationEventSerializer_writesTheGoldenBytesForEveryEvent() throws IOException {
        for (Map.Entry<String, Object> e : GoldenEvents.all().entrySet()) {
            byte[] written = eventSerializer.serialize(e.getValue(), byte[].class).getData();
            int revision = GoldenEventsTest.currentRevision(e.getValue().getClass());
            byte[] golden = GoldenEventsTest.golden(e.getKey(), revision);
            assertThat(new String(written, StandardCharsets.UTF_8)).as(e.getKey())
                    .isEqualTo(new String(golden, StandardCharsets.UTF_8));
        }
    }
}
