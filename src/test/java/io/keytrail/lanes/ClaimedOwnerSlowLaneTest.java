package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * Issue 12 end to end on the slow lane (ADR 0018): an imported session whose Keytrail export names its
 * owner makes the engine ask the homeserver for that user's keys, and the answer re-decides the session
 * (named device, still legacy), with no further input.
 */
class ClaimedOwnerSlowLaneTest extends SlowLaneSpringTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Autowired
    Keytrail keytrail;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void importClaimingAnOwner_queriesTheClaimedUser_andTheAnswerNamesTheDevice_sessionStaysLegacy() {
        TestAccount alice = RoomKeys.uniqueAccount("alice", "PHONE");
        ObjectNode aliceKeys = KeysQueryBody.of(alice); // built before any request: signing takes time
        ROUTES.put(alice.userId(), request -> Reply.json(aliceKeys));
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        String room = "!claims-" + alice.userId().substring(1, 15) + ":example.org";
        ObjectNode entry = JSON.objectNode().put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", room)
                .put("session_id", megolm.sessionId())
                .put("sender_key", alice.device("PHONE").curve25519().toBase64())
                .put("session_key", io.keytrail.crypto.megolm.InboundGroupSession
                        .fromSessionKey(megolm.sessionKey()).exportAt(0).toBase64())
                .put("io.keytrail.sender", alice.userId());
        entry.putObject("sender_claimed_keys").put("ed25519", alice.device("PHONE").ed25519().publicKey().toBase64());
        entry.putArray("forwarding_curve25519_key_chain");
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(entry);

        ObjectNode imported = keytrail.process(input);

        assertThat(imported.at("/imported/0/sender_data/UnknownDevice/legacy_session").asBoolean()).isTrue();
        LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(
                keytrail.session(room, megolm.sessionId()).orElseThrow().senderData())
                .isInstanceOf(SenderData.DeviceInfo.class));
        assertThat(keytrail.session(room, megolm.sessionId()).orElseThrow().senderData().legacySession()).isTrue();
        assertThat(STUB.requestsFor(alice.userId())).hasSize(1);
        LaneAwait.within(PATIENCE).until(() -> jdbc.queryForList("select saga_id from association_value_entry"
                + " where association_key = ? and association_value = ?", String.class, KeysQuerySaga.USER,
                alice.userId()).isEmpty());
    }

    @Test
    void importWithoutAClaim_queriesNobody() {
        TestAccount bob = RoomKeys.uniqueAccount("bob", "PHONE");
        ROUTES.put(bob.userId(), request -> Reply.json(KeysQueryBody.of(bob)));
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        String room = "!noclaim-" + bob.userId().substring(1, 13) + ":example.org";
        ObjectNode entry = JSON.objectNode().put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", room)
                .put("session_id", megolm.sessionId())
                .put("sender_key", bob.device("PHONE").curve25519().toBase64())
                .put("session_key", io.keytrail.crypto.megolm.InboundGroupSession
                        .fromSessionKey(megolm.sessionKey()).exportAt(0).toBase64());
        entry.putObject("sender_claimed_keys");
        entry.putArray("forwarding_curve25519_key_chain");
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(entry);

        keytrail.process(input);

        // Nothing to wait for can prove that nothing happens: the saga processor handles events in order, so
        // once a later import with a claim has been queried, the unclaimed one would have been too.
        TestAccount carol = RoomKeys.uniqueAccount("carol", "PHONE");
        ObjectNode carolKeys = KeysQueryBody.of(carol);
        ROUTES.put(carol.userId(), request -> Reply.json(carolKeys));
        // Carol's own device and keys, so that her answer ends her saga: a claim her answer could not
        // resolve would be retried into the tests that run after this one (they share the stub).
        ObjectNode claimed = entry.deepCopy().put("io.keytrail.sender", carol.userId())
                .put("sender_key", carol.device("PHONE").curve25519().toBase64());
        claimed.putObject("sender_claimed_keys").put("ed25519", carol.device("PHONE").ed25519().publicKey().toBase64());
        OutboundGroupSession other = OutboundGroupSession.create(new SecureRandom());
        claimed.put("session_id", other.sessionId()).put("session_key", io.keytrail.crypto.megolm.InboundGroupSession
                .fromSessionKey(other.sessionKey()).exportAt(0).toBase64());
        ObjectNode second = JSON.objectNode().put("type", "import_room_keys");
        second.putArray("keys").add(claimed);
        keytrail.process(second);
        LaneAwait.within(PATIENCE).until(() -> !STUB.requestsFor(carol.userId()).isEmpty());

        assertThat(STUB.requestsFor(bob.userId())).isEmpty();
        LaneAwait.within(PATIENCE).until(() -> sagaIdOf(carol.userId()) == null);
        assertThat(STUB.requestsFor(carol.userId())).hasSize(1);
    }

    private String sagaIdOf(String userId) {
        List<String> ids = jdbc.queryForList("select saga_id from association_value_entry where association_key = ?"
                + " and association_value = ?", String.class, KeysQuerySaga.USER, userId);
        return ids.isEmpty() ? null : ids.get(0);
    }
}
