package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.directory.WriteUnits;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.NewSessions;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionRef;
import io.keytrail.lanes.RoomKeyIntake;
import io.keytrail.trust.SenderData;

/**
 * The batch write path (ADR 0017): a run of room keys is decided together and its new sessions appended
 * together, with the outcomes and the stored events that the one-key path gives.
 */
@EngineSpringTest
class RoomKeyBatchTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    InputProcessor processor;
    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore events;
    @Autowired
    NewSessions newSessions;
    @Autowired
    WriteUnits units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SessionKeyVault vault;

    private final String room = "!batch-" + UUID.randomUUID().toString().substring(0, 8) + ":example.org";

    private TestAccount knownUser(String name, DeviceSigning signing) {
        TestAccount user = TestAccount.create("@" + name + "-" + UUID.randomUUID().toString().substring(0, 8)
                + ":example.org", name + UUID.randomUUID(), "DEV");
        ObjectNode body = new KeysQueryBody().account(user).device(user, "DEV", signing).build();
        assertThat(processor.process(JsonNodeFactory.instance.objectNode().put("type", "keys_query_response")
                .set("body", body)).has("updated")).isTrue();
        return user;
    }

    private record Key(String sessionId, ObjectNode input) {
    }

    private Key roomKey(TestAccount sender, boolean senderDeviceKeys) {
        OutboundGroupSession session = OutboundGroupSession.create(RANDOM);
        return roomKey(sender, session, senderDeviceKeys);
    }

    private Key roomKey(TestAccount sender, OutboundGroupSession session, boolean senderDeviceKeys) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("type", "room_key")
                .put("sender", sender.userId()).put("sender_key", sender.device("DEV").curve25519().toBase64());
        ObjectNode plaintext = senderDeviceKeys
                ? sender.roomKeyPlaintext("DEV", Story.ME, room, session.sessionId(), session.sessionKey().toBase64())
                : sender.roomKeyPlaintext("DEV", Story.ME, room, session.sessionId(), session.sessionKey().toBase64(),
                Optional.empty());
        input.set("plaintext", plaintext);
        return new Key(session.sessionId(), input);
    }

    private List<Object> stored(String sessionId) {
        return events.readEvents(new SessionRef(room, sessionId).aggregateId()).asStream()
                .map(DomainEventMessage::getPayload).map(p -> (Object) p).toList();
    }

    /** The event as stored JSON, without what differs between two sessions (ids, the sealed key's nonce). */
    private static JsonNode comparable(Object event) {
        ObjectNode json = JSON.valueToTree(event);
        json.remove(List.of("roomId", "sessionId", "sealedSessionKey"));
        return json;
    }

    @Test
    void aBatchOfNewSessions_answersAndStoresWhatOneKeyAtATimeDoes() {
        TestAccount alice = knownUser("alice", DeviceSigning.CROSS_SIGNED);
        TestAccount bob = knownUser("bob", DeviceSigning.CROSS_SIGNED);
        Key single = roomKey(alice, true);
        ObjectNode alone = processor.processAll(List.of(single.input())).get(0);
        List<Key> batch = List.of(roomKey(alice, true), roomKey(bob, true), roomKey(alice, false));

        List<ObjectNode> outcomes = processor.processAll(batch.stream().map(k -> (JsonNode) k.input()).toList());

        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o.at("/result/sender_data").has("SenderUnverified"))
                .as(o.toString()).isTrue());
        assertThat(outcomes.get(0).at("/result/sender_data")).isEqualTo(alone.at("/result/sender_data"));
        List<Object> reference = stored(single.sessionId());
        List<Object> batched = stored(batch.get(0).sessionId());
        assertThat(batched).hasSize(1).first().isInstanceOf(SessionReceived.class);
        assertThat(comparable(batched.get(0))).isEqualTo(comparable(reference.get(0)));
        String aggregateId = new SessionRef(room, batch.get(0).sessionId()).aggregateId();
        assertThat(jdbc.queryForMap("select type, sequence_number from domain_event_entry where aggregate_identifier = ?",
                aggregateId)).containsEntry("TYPE", "MegolmSession").containsEntry("SEQUENCE_NUMBER", 0L);
        assertThat(jdbc.queryForMap("select rank, sender_key, master_key, discarded from kt_session where aggregate_id = ?",
                aggregateId)).isEqualTo(jdbc.queryForMap("select rank, sender_key, master_key, discarded from kt_session "
                + "where aggregate_id = ?", new SessionRef(room, single.sessionId()).aggregateId()));
    }

    @Test
    void theFacadeTakesASyncsRoomKeysAtOnce_oneResultPerKeyInOrder() {
        TestAccount hana = knownUser("hana", DeviceSigning.CROSS_SIGNED);
        Key first = roomKey(hana, true);
        Key second = roomKey(hana, false);
        List<RoomKeyIntake.RoomKeyInput> keys = List.of(first, second).stream()
                .map(k -> new RoomKeyIntake.RoomKeyInput(hana.userId(), k.input().get("sender_key").textValue(),
                        k.input().get("plaintext"))).toList();

        List<RoomKeyIntake.Received> received = keytrail.receiveRoomKeys(keys, Optional.of(Story.ME));

        assertThat(received).extracting(r -> r.view().sessionId()).containsExactly(first.sessionId(), second.sessionId());
        assertThat(received).allSatisfy(r -> assertThat(r.view().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
    }

    @Test
    void aMixedBatch_keepsOrder_refusesBadInputs_andSendsKnownSessionsToTheirAggregate() {
        TestAccount carol = knownUser("carol", DeviceSigning.CROSS_SIGNED);
        OutboundGroupSession held = OutboundGroupSession.create(RANDOM);
        Key first = roomKey(carol, held, true);
        processor.process(first.input());
        Key fresh = roomKey(carol, true);
        ObjectNode notJson = JsonNodeFactory.instance.objectNode().put("type", "room_key").put("sender", carol.userId());
        ObjectNode badKey = fresh.input().deepCopy();
        ((ObjectNode) badKey.get("plaintext").get("content")).put("session_key", "not a session key");

        List<ObjectNode> outcomes = processor.processAll(List.of(first.input(), fresh.input(), notJson, badKey,
                fresh.input()));

        assertThat(outcomes.get(0).at("/result/session_id").textValue()).isEqualTo(first.sessionId());
        assertThat(outcomes.get(1).at("/result/session_id").textValue()).isEqualTo(fresh.sessionId());
        assertThat(outcomes.get(2).at("/error/code").textValue()).isEqualTo("INVALID_INPUT");
        assertThat(outcomes.get(3).at("/error/code").textValue()).isEqualTo("INVALID_SESSION_KEY");
        // the same session twice in one batch: the second is a re-delivery of a session now held
        assertThat(outcomes.get(4).at("/result/session_id").textValue()).isEqualTo(fresh.sessionId());
        assertThat(stored(first.sessionId())).hasSize(1);
        assertThat(stored(fresh.sessionId())).hasSize(1);
    }

    @Test
    void aTamperedDeviceInABatch_isStoredDiscarded_withTheDiscardOnRecord() {
        TestAccount dave = knownUser("dave", DeviceSigning.BAD_CROSS_SIGNATURE);
        TestAccount erin = knownUser("erin", DeviceSigning.CROSS_SIGNED);
        Key tampered = roomKey(dave, false);
        Key fine = roomKey(erin, true);

        List<ObjectNode> outcomes = processor.processAll(List.of(tampered.input(), fine.input()));

        assertThat(outcomes.get(0).at("/error/code").textValue()).isEqualTo("SESSION_DISCARDED");
        assertThat(outcomes.get(1).at("/result/sender_data").has("SenderUnverified")).isTrue();
        assertThat(stored(tampered.sessionId())).hasSize(2).element(1).isInstanceOf(SessionDiscarded.class);
        assertThat(jdbc.queryForObject("select discarded from kt_session where aggregate_id = ?", Boolean.class,
                new SessionRef(room, tampered.sessionId()).aggregateId())).isTrue();
    }

    @Test
    void aRefusedFirstCopyInABatch_storesNoSession_andRecordsTheRefusal() {
        TestAccount frank = knownUser("frank", DeviceSigning.CROSS_SIGNED);
        TestAccount other = knownUser("other", DeviceSigning.CROSS_SIGNED);
        // claims another device's ed25519 key: the owner check fails (K4), the change rule refuses
        Key forged = roomKey(frank, false);
        ((ObjectNode) forged.input().get("plaintext").get("keys")).put("ed25519",
                other.device("DEV").ed25519().publicKey().toBase64());
        Key fine = roomKey(frank, true);
        long refusalsBefore = refusals();

        List<ObjectNode> outcomes = processor.processAll(List.of(forged.input(), fine.input()));

        assertThat(outcomes.get(0).at("/error/code").textValue()).as(outcomes.get(0).toString())
                .isEqualTo("MISMATCHED_IDENTITY_KEYS");
        assertThat(outcomes.get(1).at("/result/sender_data").has("SenderUnverified")).isTrue();
        assertThat(stored(forged.sessionId())).isEmpty();
        assertThat(refusals()).isEqualTo(refusalsBefore + 1);
        // a refused first copy seals nothing: no data key is left behind for it (ADR 0022)
        assertThat(dataKeys(forged.sessionId())).isZero();
        assertThat(dataKeys(fine.sessionId())).isOne();
    }

    private long dataKeys(String sessionId) {
        return jdbc.queryForObject("select count(*) from keytrail_data_key where aggregate_id = ?", Long.class,
                new SessionRef(room, sessionId).aggregateId());
    }

    @Test
    void theSessionsOfABatch_storeOneDataKeyEach_inTheirUnit_andTheirKeysOpen() {
        TestAccount ivan = knownUser("ivan", DeviceSigning.CROSS_SIGNED);
        TestAccount jane = knownUser("jane", DeviceSigning.CROSS_SIGNED);
        List<Key> batch = List.of(roomKey(ivan, true), roomKey(jane, true), roomKey(ivan, false), roomKey(jane, false));

        List<ObjectNode> outcomes = processor.processAll(batch.stream().map(k -> (JsonNode) k.input()).toList());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.has("result")).as(o.toString()).isTrue());
        for (Key key : batch) {
            String aggregateId = new SessionRef(room, key.sessionId()).aggregateId();
            assertThat(dataKeys(key.sessionId())).as(key.sessionId()).isOne();
            SessionReceived received = (SessionReceived) stored(key.sessionId()).get(0);
            assertThat(ExportedSessionKey.parse(vault.open(received.sealedSessionKey(), aggregateId)).sessionId())
                    .isEqualTo(key.sessionId());
        }
    }

    private long refusals() {
        return jdbc.queryForObject("select count(*) from domain_event_entry where payload_type = ?", Long.class,
                RoomKeyRefused.class.getName());
    }

    @Test
    void appendingTheFirstEventOfASessionThatAnotherWriterCreated_isAConflictThatTheUnitRetries() {
        TestAccount gina = knownUser("gina", DeviceSigning.CROSS_SIGNED);
        Key key = roomKey(gina, true);
        processor.process(key.input());
        String aggregateId = new SessionRef(room, key.sessionId()).aggregateId();
        Object first = stored(key.sessionId()).get(0);

        assertThatThrownBy(() -> units.run(() -> {
            newSessions.append(Map.of(aggregateId, List.of(first)));
            return null;
        })).satisfies(e -> assertThat(WriteUnits.isConflict(e)).as(e.toString()).isTrue());
        assertThat(newSessions.existing(List.of(aggregateId, aggregateId + "-none"))).containsExactly(aggregateId);
        assertThat(stored(key.sessionId())).hasSize(1);
    }
}
