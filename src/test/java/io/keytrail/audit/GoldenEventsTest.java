package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.keytrail.identity.IdentityEvents;
import io.keytrail.session.SessionDiscardedUpcaster;
import io.keytrail.session.SessionEvents;

/**
 * Golden files pin the stored JSON of every event (ADR 0007): {@code events/<Event>.rev<n>.json} holds the
 * payload exactly as revision n stored it. Every revision's file is read back, through the upcasters as the
 * store reads it, into exactly today's event, and
 * today's event serializes to exactly the bytes of the file of its current {@code @Revision}. A change to
 * an event's fields, to a field's type or to a codec that alters the stored form fails here: it needs the
 * next revision (and an upcaster when old payloads no longer read as they are), and a new file for that
 * revision written by {@link #main}; the files of earlier revisions never change.
 *
 * <p>The serializer is Axon's {@link JacksonSerializer} over an object mapper configured as Spring Boot's
 * (the one Axon's auto-configuration picks up for {@code axon.serializer.events: jackson});
 * {@link GoldenEventsStoreTest} proves the application's own event serializer writes the same bytes.
 */
class GoldenEventsTest {
    static final JacksonSerializer SERIALIZER = JacksonSerializer.builder()
            .objectMapper(Jackson2ObjectMapperBuilder.json()
                    // Spring Boot's defaults (spring.jackson.serialization): instants as ISO-8601 text.
                    .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                            SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .build())
            .build();

    static Stream<String> eventNames() {
        return GoldenEvents.all().keySet().stream();
    }

    /** Every (event, revision) from 1 to the event's current revision. */
    static Stream<Arguments> eventRevisions() {
        return GoldenEvents.all().entrySet().stream().flatMap(e -> IntStream
                .rangeClosed(1, currentRevision(e.getValue().getClass()))
                .mapToObj(revision -> Arguments.of(e.getKey(), revision)));
    }

    @ParameterizedTest(name = "{0} revision {1}")
    @MethodSource("eventRevisions")
    void goldenFileOfEachRevision_readsBackIntoTheEvent(String name, int revision) throws IOException {
        Object expected = GoldenEvents.all().get(name);
        byte[] file = golden(name, revision);

        Object read = readThroughTheUpcasters(file, expected.getClass(), revision);

        assertThat(read).isInstanceOf(expected.getClass());
        // Events hold JSON trees and sender data: compare their serialized form. The golden instance is the
        // same fact at every revision, so an older revision, upcast, must read as exactly today's event.
        JsonNode readTree = SERIALIZER.getObjectMapper().valueToTree(read);
        JsonNode expectedTree = SERIALIZER.getObjectMapper().valueToTree(expected);
        assertThat(readTree).isEqualTo(expectedTree);
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void event_serializesToExactlyTheGoldenBytesOfItsCurrentRevision(String name) throws IOException {
        Object event = GoldenEvents.all().get(name);
        int revision = currentRevision(event.getClass());

        SerializedObject<byte[]> written = SERIALIZER.serialize(event, byte[].class);

        assertThat(written.getType().getRevision()).isEqualTo(Integer.toString(revision));
        assertThat(new String(written.getData(), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden(name, revision), StandardCharsets.UTF_8));
    }

    @Test
    void everyEventTypeHasAGoldenInstance() {
        List<String> declared = Stream.of(SessionEvents.class, IdentityEvents.class)
                .flatMap(c -> Stream.of(c.getDeclaredClasses()))
                .filter(c -> c.isAnnotationPresent(Revision.class))
                .map(Class::getSimpleName)
                .toList();

        assertThat(GoldenEvents.all().keySet()).containsExactlyInAnyOrderElementsOf(declared);
    }

    /**
     * The application's upcasters, as the store's upcaster chain holds them ({@link GoldenEventsStoreTest}
     * proves the application registers the same ones).
     */
    static final List<EventUpcaster> UPCASTERS = List.of(new SessionDiscardedUpcaster());

    /** Reads a stored payload of {@code revision} as the event store does: through the upcaster chain. */
    static Object readThroughTheUpcasters(byte[] payload, Class<?> type, int revision) {
        DomainEventData<byte[]> row = new GenericDomainEventEntry<>("MegolmSession", "!golden:example.org|s", 0,
                "golden-event", Instant.EPOCH, type.getName(), Integer.toString(revision), payload,
                "{}".getBytes(StandardCharsets.UTF_8));
        IntermediateEventRepresentation upcast = new EventUpcasterChain(UPCASTERS)
                .upcast(Stream.of(new InitialEventRepresentation(row, SERIALIZER))).findFirst().orElseThrow();
        assertThat(upcast.getType().getRevision()).as("upcast to the current revision")
                .isEqualTo(Integer.toString(currentRevision(type)));
        return SERIALIZER.deserialize(upcast.getData());
    }

    static int currentRevision(Class<?> eventType) {
        return Integer.parseInt(eventType.getAnnotation(Revision.class).value());
    }

    static byte[] golden(String name, int revision) throws IOException {
        String path = "/events/" + name + ".rev" + revision + ".json";
        try (InputStream in = GoldenEventsTest.class.getResourceAsStream(path)) {
            assertThat(in).as("golden file %s", path).isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * Writes the golden file of each event's current revision into the directory given as the argument
     * (src/test/resources/events). Only for a new event type or a new revision: an existing file never changes.
     */
    public static void main(String[] args) throws IOException {
        for (Map.Entry<String, Object> e : GoldenEvents.all().entrySet()) {
            Path file = Path.of(args[0], e.getKey() + ".rev" + currentRevision(e.getValue().getClass()) + ".json");
            if (!Files.exists(file)) {
                Files.write(file, SERIALIZER.serialize(e.getValue(), byte[].class).getData());
            }
        }
    }
}
