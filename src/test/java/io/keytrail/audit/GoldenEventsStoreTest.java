package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The application's own event serializer (the bean Axon stores events with) writes exactly the golden
 * bytes, so the plain {@link GoldenEventsTest} pins what the store really holds.
 */
@SpringBootTest
@ActiveProfiles("test")
class GoldenEventsStoreTest {
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Test
    void applicationEventSerializer_writesTheGoldenBytesForEveryEvent() throws IOException {
        for (Map.Entry<String, Object> e : GoldenEvents.all().entrySet()) {
            byte[] written = eventSerializer.serialize(e.getValue(), byte[].class).getData();
            try (InputStream in = getClass().getResourceAsStream("/events/" + e.getKey() + ".rev1.json")) {
                assertThat(in).as(e.getKey()).isNotNull();
                assertThat(new String(written, StandardCharsets.UTF_8)).as(e.getKey())
                        .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
