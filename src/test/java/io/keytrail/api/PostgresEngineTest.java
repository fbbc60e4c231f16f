package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.PostgresSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.decrypt.DecryptService;
import io.keytrail.lanes.RoomKeyIntake;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.audit.ReadModelRebuild;
import io.keytrail.directory.DirectoryProjection;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.TrustPolicy;

/**
 * The whole engine (aggregates, directory read models, re-decisions, decryption) on the production
 * store. Runs only when {@code KEYTRAIL_TEST_POSTGRES_URL} is set ({@code .ci/run} sets it); fresh users
 * and rooms each run, so the database can be reused.
 */
class PostgresEngineTest extends PostgresSpringTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    ReadModelRebuild rebuild;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void rebuildOnPostgres_locksTheProjectionTables_andGivesBackEveryRow() {
        String run = story();
        Map<String, List<Map<String, Object>>> live = readModel(run);
        assertThat(live.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());

        ReadModelRebuild.Result result = rebuild.rebuild(p -> { });

        assertThat(readModel(run)).isEqualTo(live);
        assertThat(result.sessions()).isGreaterThanOrEqualTo(live.get("kt_session").size());
    }

    /**
     * This run's rows of the projection's tables (the database is reused across runs, and rows that older
     * builds wrote are theirs), every column but the generated session position, in a stable order.
     */
    private Map<String, List<Map<String, Object>>> readModel(String run) {
        Map<String, List<Map<String, Object>>> model = new LinkedHashMap<>();
        for (String table : DirectoryProjection.TABLES) {
            String where = table.equals("kt_session") ? "room_id" : "user_id";
            String order = table.equals("kt_session") ? "position" : table.equals("kt_device") ? "id" : "user_id";
            List<Map<String, Object>> rows = jdbc.queryForList("select * from " + table + " where " + where
                    + " like ? order by " + order, "%-" + run + ":pg.test");
            rows.forEach(row -> row.keySet().removeIf("position"::equalsIgnoreCase));
            model.put(table, rows);
        }
        return model;
    }

    @Test
    void unknownDeviceThenKeysArrive_upgradesAndDecryptsOnPostgres() {
        story();
    }

    /** Alice's room key, then her keys, then a decrypt under CROSS_SIGNED; returns the run's id. */
    private String story() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestAccount alice = TestAccount.create("@alice-" + run + ":pg.test", "alice-" + run, "PHONE");
        OwnDevice me = TestAccount.create("@me-" + run + ":pg.test", "me-" + run, "ME").ownDevice("ME");
        String room = "!room-" + run + ":pg.test";
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        ObjectNode plaintext = alice.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(),
                megolm.sessionKey().toBase64(), Optional.empty());

        var received = keytrail.receiveRoomKey(alice.userId(), alice.device("PHONE").curve25519().toBase64(),
                plaintext, Optional.of(me));
        var keys = keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(received.senderData()).isEqualTo(SenderData.unknown());
        assertThat(keys.updated()).singleElement()
                .satisfies(v -> assertThat(v.senderData()).isInstanceOf(SenderData.SenderUnverified.class));
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "m.room.encrypted")
                .put("sender", alice.userId()).put("room_id", room);
        event.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", megolm.sessionId())
                .put("ciphertext", megolm.encrypt("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\"}}"));
        DecryptService.Decrypted decrypted = keytrail.decrypt(room, TrustPolicy.CROSS_SIGNED, event);
        assertThat(decrypted.plaintext().path("content").path("body").asText()).isEqualTo("hi");
        assertThat(decrypted.senderDevice()).isEqualTo("PHONE");
        return run;
    }

    @Test
    void backupWrittenWithMac2AndClaims_restoresOnPostgres_withTheClaimColumnsReadBack() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestAccount alice = TestAccount.create("@alice-" + run + ":pg.test", "alice-" + run, "PHONE");
        OwnDevice me = TestAccount.create("@me-" + run + ":pg.test", "me-" + run, "ME").ownDevice("ME");
        String room = "!room-" + run + ":pg.test";
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        keytrail.receiveRoomKey(alice.userId(), alice.device("PHONE").curve25519().toBase64(),
                alice.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(), megolm.sessionKey().toBase64(),
                        Optional.empty()), Optional.of(me));
        io.keytrail.crypto.backup.BackupDecryptionKey key =
                io.keytrail.crypto.backup.BackupDecryptionKey.generate(new SecureRandom());
        var backup = keytrail.writeBackup(key.toBase64(),
                io.keytrail.imports.KeyExportService.selection(java.util.List.of(room), java.util.List.of()));
        // The same entry, its mac2 removed: a legacy import in another room that keeps the claim.
        String otherRoom = "!other-" + run + ":pg.test";
        ObjectNode body = backup.body().deepCopy();
        ObjectNode rooms = (ObjectNode) body.get("rooms");
        ObjectNode entry = (ObjectNode) rooms.remove(room);
        rooms.set(otherRoom, entry);
        ((ObjectNode) entry.path("sessions").path(megolm.sessionId()).path("session_data"))
                .remove(io.keytrail.crypto.backup.BackupMac2.UNSTABLE_FIELD);

        var restored = keytrail.importBackup(key.toBase64(), body, null);

        assertThat(restored.failed()).isEmpty();
        var view = keytrail.session(otherRoom, megolm.sessionId()).orElseThrow();
        assertThat(view.senderData().legacySession()).isTrue();
        assertThat(view.claim().userId()).isEqualTo(alice.userId());
        assertThat(view.claim().senderData()).isInstanceOf(SenderData.SenderUnverified.class);
    }

    @Test
    void aBatchOfRoomKeys_isDecidedAndAppendedTogetherOnPostgres_andARepeatedKeyIsAReReceipt() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestAccount bob = TestAccount.create("@bob-" + run + ":pg.test", "bob-" + run, "PHONE");
        OwnDevice me = TestAccount.create("@me-" + run + ":pg.test", "me-" + run, "ME").ownDevice("ME");
        String room = "!batch-" + run + ":pg.test";
        keytrail.recordKeysQuery(KeysQueryBody.of(bob));
        java.util.List<RoomKeyIntake.RoomKeyInput> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
            keys.add(new RoomKeyIntake.RoomKeyInput(bob.userId(), bob.device("PHONE").curve25519().toBase64(),
                    bob.roomKeyPlaintext("PHONE", me, room, megolm.sessionId(), megolm.sessionKey().toBase64())));
        }
        keys.add(keys.get(0));

        var received = keytrail.receiveRoomKeys(keys, Optional.of(me));

        assertThat(received).hasSize(4).allSatisfy(r -> assertThat(r.view().senderData())
                .as(String.valueOf(r.failure())).isInstanceOf(SenderData.SenderUnverified.class));
        assertThat(received.get(3).view().sessionId()).isEqualTo(received.get(0).view().sessionId());
        assertThat(keytrail.session(room, received.get(1).view().sessionId())).get()
                .satisfies(v -> assertThat(v.senderData()).isInstanceOf(SenderData.SenderUnverified.class));
    }
}
