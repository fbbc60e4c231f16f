package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.api.ApiController;
import io.keytrail.api.Keytrail;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.trust.SenderData;

/**
 * A host application boots with Keytrail in one context through auto-configuration alone (ADR 0014): its
 * own entity, aggregate and event processor work beside Keytrail's, both write to one event store with
 * one serializer, and Keytrail takes over none of the host's settings (no HTTP API, no address, no data
 * source of its own). The input is the example recording's first lines (examples/quickstart.jsonl).
 */
@SpringBootTest(classes = HostApplication.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:host-${random.uuid}",
        // The host's own table comes from the host's own Flyway migration (db/host/V1__host_note.sql, in
        // flyway_schema_history); Keytrail's from Keytrail's (its own V1, in keytrail_schema_history, ADR
        // 0024). Hibernate validates both (Keytrail's library default).
        "spring.flyway.locations=classpath:db/host",
        "keytrail.data-dir=target/host-application-data"})
class HostApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ApplicationContext context;
    @Autowired
    Notes notes;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;
    @Autowired
    TicketTitles titles;
    @Autowired
    Keytrail keytrail;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void hostEntity_isSavedAndLoadedBesideKeytrailsTables() {
        Note saved = notes.save(new Note("remember the milk"));

        assertThat(notes.findById(saved.getId())).get().extracting(Note::getText).isEqualTo("remember the milk");
        assertThat(jdbc.queryForList("select table_name from information_schema.tables "
                + "where table_schema = 'PUBLIC'", String.class))
                .extracting(String::toLowerCase)
                .contains("host_note", "kt_session", "kt_device", "domain_event_entry", "scheduled_tasks",
                        "keytrail_user_lock");
        assertThat(jdbc.queryForList("select \"version\" || ' ' || \"script\" from \"flyway_schema_history\""
                + " where \"version\" is not null",
                String.class)).as("the host's history holds only the host's migrations").containsExactly("1 V1__host_note.sql");
        assertThat(jdbc.queryForList("select \"version\" || ' ' || \"type\" from \"keytrail_schema_history\""
                + " where \"version\" is not null order by \"installed_rank\"", String.class))
                .as("Keytrail's own history: beside the host's tables, from its own V1").startsWith("0 BASELINE", "1 SQL");
    }

    @Test
    void hostAggregate_handlesItsCommand_itsEventIsStoredAsJacksonJson_andItsOwnProcessorSeesIt() {
        commands.sendAndWait(new Ticket.OpenTicket("ticket-1", "printer on fire"));

        List<? extends DomainEventMessage<?>> events = eventStore.readEvents("ticket-1").asStream().toList();
        assertThat(events).singleElement().satisfies(e ->
                assertThat(e.getPayload()).isEqualTo(new Ticket.TicketOpened("ticket-1", "printer on fire")));
        byte[] stored = jdbc.queryForObject("select payload from domain_event_entry where aggregate_identifier = ?",
                byte[].class, "ticket-1");
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo(
                "{\"ticketId\":\"ticket-1\",\"title\":\"printer on fire\"}");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(titles.title("ticket-1")).isEqualTo("printer on fire"));
    }

    @Test
    void keytrailRoomKey_isDecidedThroughTheFacade_andItsEventsShareTheHostsStore() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("examples", "quickstart.jsonl"));
        JsonNode ownDevice = JSON.readTree(lines.get(0));
        JsonNode roomKey = JSON.readTree(lines.get(1));
        JsonNode keysQuery = JSON.readTree(lines.get(2));

        SessionView received = keytrail.receiveRoomKey(roomKey.get("sender").textValue(),
                roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(OwnDevice.parse(ownDevice)));
        assertThat(received.senderData()).isInstanceOf(SenderData.UnknownDevice.class);
        keytrail.recordKeysQuery(keysQuery.get("body"));

        Optional<SessionView> session = keytrail.session(received.roomId(), received.sessionId());
        assertThat(session).get().satisfies(s -> {
            assertThat(s.senderData()).isInstanceOf(SenderData.SenderUnverified.class);
            assertThat(s.senderData().toString()).contains("@alice:example.org");
        });
        assertThat(eventStore.readEvents(received.roomId() + "|" + received.sessionId()).asStream()
                .map(e -> e.getPayloadType().getSimpleName()).toList())
                .contains("SessionReceived");
    }

    @Test
    void keytrailTakesOverNothingOfTheHost_noHttpApi_noServiceSettings_andTheHostsSealingKeyBeanWins() {
        Environment environment = context.getEnvironment();

        assertThat(context.getBeanNamesForType(ApiController.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SessionKeyVault.class)).containsExactly("hostSealingKeys");
        assertThat(environment.getProperty("keytrail.api.enabled")).isNull();
        assertThat(environment.getProperty("server.address")).isNull();
        assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:h2:mem:host-");
        // the library defaults the engine needs are there, below anything the host sets
        assertThat(environment.getProperty("axon.serializer.events")).isEqualTo("jackson");
    }
}
