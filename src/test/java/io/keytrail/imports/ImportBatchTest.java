package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.eventsOf;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * The imports' batch write path (ADR 0020): the sessions of a batch are stored a chunk per unit of work;
 * sessions with no history get their first event appended without a command, sessions we hold go to their
 * aggregate; the answers and the stored events are those of one session at a time, in the input's order.
 */
@EngineSpringTest
class ImportBatchTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;

    private final TestAccount alice = account("alice");

    /** Axon puts the command's correlation ids on what an aggregate applies; the batch append has none. */
    private List<Boolean> appliedByACommand(Sender s) {
        return eventStore.readEvents(s.aggregateId()).asStream().map(DomainEventMessage::getMetaData)
                .map(m -> !m.isEmpty()).toList();
    }

    private static List<String> ids(JsonNode list) {
        return list.findValuesAsText("session_id");
    }

    @Test
    void aChunkMixingNewHeldAndBrokenSessions_answersInOrder_newOnesAppendedAndHeldOnesThroughTheirAggregate() {
        Sender better = new Sender(room(), 2);
        Sender held = new Sender(room(), 1);
        keytrail.process(importRoomKeys(exportEntry(better, 1, alice), exportEntry(held, 0, alice)));
        Sender first = new Sender(room(), 1);
        Sender last = new Sender(room(), 1);
        Sender broken = new Sender(room(), 1);
        ObjectNode badKey = exportEntry(broken, 0, alice).put("session_key", "not a session key");

        ObjectNode result = keytrail.process(importRoomKeys(exportEntry(first, 0, alice),
                exportEntry(better, 0, alice), badKey, exportEntry(held.impostor(), 0, alice),
                exportEntry(last, 0, alice)));

        assertThat(ids(result.path("imported"))).containsExactly(first.sessionId(), better.sessionId(),
                last.sessionId());
        assertThat(ids(result.path("failed"))).containsExactly(broken.sessionId(), held.sessionId());
        assertThat(result.path("failed").findValuesAsText("code")).containsExactly("INVALID_SESSION_KEY",
                "INVALID_SESSION_KEY");
        assertThat(eventsOf(eventStore, first.aggregateId())).containsExactly("SessionImported");
        assertThat(eventsOf(eventStore, last.aggregateId())).containsExactly("SessionImported");
        assertThat(eventsOf(eventStore, better.aggregateId())).containsExactly("SessionImported", "RatchetImproved");
        assertThat(eventsOf(eventStore, held.aggregateId())).containsExactly("SessionImported", "SessionCopyRefused");
        assertThat(eventsOf(eventStore, broken.aggregateId())).isEmpty();
        assertThat(appliedByACommand(first)).containsExactly(false);
        assertThat(appliedByACommand(better)).containsExactly(false, true);
        assertThat(appliedByACommand(held)).containsExactly(false, true);
    }

    @Test
    void theSameSessionTwiceInOneBatch_theSecondIsACopyOfTheSessionTheFirstCreated() {
        Sender s = new Sender(room(), 2);
        Sender other = new Sender(room(), 1);

        ObjectNode result = keytrail.process(importRoomKeys(exportEntry(s, 1, alice), exportEntry(other, 0, alice),
                exportEntry(s, 0, alice)));

        assertThat(result.path("failed")).isEmpty();
        assertThat(ids(result.path("imported"))).containsExactly(s.sessionId(), other.sessionId(), s.sessionId());
        assertThat(eventsOf(eventStore, s.aggregateId())).containsExactly("SessionImported", "RatchetImproved");
        assertThat(eventsOf(eventStore, other.aggregateId())).containsExactly("SessionImported");
        // the second copy went to the aggregate the first chunk created; the better ratchet is the one held
        assertThat(appliedByACommand(s)).containsExactly(false, true);
        assertThat(keytrail.session(s.roomId, s.sessionId())).isPresent();
    }
}
