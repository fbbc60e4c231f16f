package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import io.keytrail.identity.IdentityEvents;
import io.keytrail.session.SessionEvents;

/**
 * Golden files pin the stored JSON of every event at revision 1 (ADR 0007): each file is read back into
 * its event, and today's event serializes to exactly the file's bytes. A change to an event's fields,
 * to a field's type or to a codec that alters the stored form fails here; it needs a new revision and an
 * upcaster, not a new golden file.
 *
 * <p>The serializer is Axon's {@link JacksonSerializer} over an object mapper configured as Spring Boot's
 * (the one Axon's auto-configuration picks up for {@code axon.serializer.events: jackson});
 * {@link GoldenEventsStoreTest} proves the application's own event serializer writes the same bytes.
 */
class GoldenEventsTest {
    private static final JacksonSerializer SERIALIZER = JacksonSerializer.builder()
            .objectMapper(Jackson2ObjectMapperBuilder.json()
                    // Spring Boot's defaults (spring.jackson.serialization): instants as ISO-8601 text.
                    .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                            SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .build())
            .build();

    static Stream<String> eventNames() {
        return GoldenEvents.all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void goldenFile_deserializesIntoTheEvent(String name) throws IOException {
        Object expected = GoldenEvents.all().get(name);
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(golden(name), byte[].class,
                new SimpleSerializedType(expected.getClass().getName(), "1"));

        Object read = SERIALIZER.<byte[], Object>deserialize(stored);

        assertThat(read).isInstanceOf(expected.getClass());
        // Events hold JSON trees and sender data; compare their serialized form field by field.
        com.fasterxml.jackson.databind.JsonNode readTree = SERIALIZER.getObjectMapper().valueToTree(read);
        com.fasterxml.jackson.databind.JsonNode expectedTree = SERIALIZER.getObjectMapper().valueToTree(expected);
        assertThat(readTree).isEqualTo(expectedTree);
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void event_serializesToExactlyTheGoldenBytes(String name) throws IOException {
        Object event = GoldenEvents.all().get(name);

        SerializedObject<byte[]> written = SERIALIZER.serialize(event, byte[].class);

        assertThat(written.getType().getRevision()).isEqualTo("1");
        assertThat(new String(written.getData(), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden(name), StandardCharsets.UTF_8));
    }

    @Test
    void everyEventTypeHasAGoldenFile() {
        List<String> declared = Stream.of(SessionEvents.class, IdentityEvents.class)
                .flatMap(c -> Stream.of(c.getDeclaredClasses()))
                .filter(c -> c.isAnnotationPresent(org.axonframework.serialization.Revision.class))
                .map(Class::getSimpleName)
                .toList();

        assertThat(GoldenEvents.all().keySet()).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenEventsTest.class.getResourceAsStream("/events/" + name + ".rev1.json")) {
            assertThat(in).as("golden file events/%s.rev1.json", name).isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * Writes the golden files of today's events into the directory given as the argument. Only for a
     * new event type or a new revision (as {@code <Name>.rev<n>.json}); a revision-1 file never changes.
     */
    public static void main(String[] args) throws IOException {
        for (Map.Entry<String, Object> e : GoldenEvents.all().entrySet()) {
            Files.write(Path.of(args[0], e.getKey() + ".rev1.json"),
                    SERIALIZER.serialize(e.getValue(), byte[].class).getData());
        }
    }
}
