package io.keytrail.audit;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.TestStores;
import io.keytrail.api.Keytrail;
import io.keytrail.directory.DirectoryProjection;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * ADR 0013: the read models are a fold of the events. After a store has seen receipts, re-decisions,
 * verifications, imports, a re-receipt over an import, a grafted ratchet and a discard for tampering, a
 * rebuild from the events gives exactly the rows the live projection wrote, column by column; and a
 * model that was damaged behind the engine's back is repaired by it.
 */
@EngineSpringTest
class ReadModelRebuildTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    ReadModelRebuild rebuild;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private final OwnDevice me = account("me").ownDevice("DEV");

    @BeforeEach
    void emptyStore() {
        TestStores.empty(context);
    }

    @Test
    void rebuiltModel_equalsTheLiveModel_rowForRow_onAStoreWithEveryKindOfDecision() {
        Set<String> kinds = storeWithEveryKindOfDecision();
        assertThat(kinds).contains("SessionReceived", "SessionImported", "SenderDataChanged", "SessionDiscarded",
                "RatchetImproved", "MskVerified", "DeviceKeysFetched", "CrossSigningKeysAccepted", "KeysRejected");
        Map<String, List<Map<String, Object>>> live = model();
        assertThat(live.get("kt_session")).hasSizeGreaterThanOrEqualTo(5);

        List<ReadModelRebuild.Progress> progress = new ArrayList<>();
        ReadModelRebuild.Result result = rebuild.rebuild(progress::add);

        assertThat(model()).isEqualTo(live);
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        assertThat(result.events()).isEqualTo(stored);
        assertThat(result.sessions()).isEqualTo(live.get("kt_session").size());
        assertThat(result.devices()).isEqualTo(live.get("kt_device").size());
        assertThat(result.identities()).isEqualTo(live.get("kt_identity").size());
        assertThat(progress).last().isEqualTo(new ReadModelRebuild.Progress(stored, stored));
    }

    @Test
    void rebuild_repairsAModelDamagedBehindTheEnginesBack() {
        storeWithEveryKindOfDecision();
        Map<String, List<Map<String, Object>>> live = model();

        jdbc.update("update kt_session set discarded = not discarded, rank = 0");
        jdbc.update("delete from kt_device where id = (select min(id) from kt_device)");
        jdbc.update("update kt_identity set verified = true");
        jdbc.update("insert into kt_identity (user_id, verified, previously_verified) values ('@ghost:x', true, false)");
        assertThat(model()).isNotEqualTo(live);

        rebuild.rebuild(p -> { });

        assertThat(model()).isEqualTo(live);
    }

    @Test
    void rebuildOfAnEmptyStore_leavesEmptyModels() {
        ReadModelRebuild.Result result = rebuild.rebuild(p -> { });

        assertThat(result.events()).isZero();
        assertThat(model().values()).allSatisfy(rows -> assertThat(rows).isEmpty());
    }

    /** Every kind of event the directory folds, in one store; returns the event types stored. */
    private Set<String> storeWithEveryKindOfDecision() {
        TestAccount alice = account("alice");
        TestAccount bob = account("bob");
        TestAccount carol = account("carol");
        keys(KeysQueryBody.of(alice));

        // a receipt, then a verification upgrade
        Sender verified = new Sender(room(), 1);
        keytrail.process(roomKey(alice, me, verified, 0, Optional.empty()));
        keytrail.verifyMasterKey(alice.userId(), alice.masterKey().publicKey().toBase64());

        // an import, then an authenticated copy over it
        Sender imported = new Sender(room(), 2);
        keytrail.process(importRoomKeys(exportEntry(imported, 1, alice)));
        keytrail.process(roomKey(alice, me, imported, 0, Optional.empty()));

        // a receipt, then an import with a better ratchet (grafted)
        Sender grafted = new Sender(room(), 3);
        keytrail.process(roomKey(alice, me, grafted, 2, Optional.empty()));
        keytrail.process(importRoomKeys(exportEntry(grafted, 0, alice)));

        // an unknown device, then its keys arrive: a re-decision
        Sender redecided = new Sender(room(), 1);
        keytrail.process(roomKey(bob, me, redecided, 0, Optional.empty()));
        keys(KeysQueryBody.of(bob));

        // an unknown device, then keys with a forged cross-signature: a discard for tampering
        Sender tampered = new Sender(room(), 1);
        keytrail.process(roomKey(carol, me, tampered, 0, Optional.empty()));
        keys(new KeysQueryBody().account(carol).device(carol, "DEV", DeviceSigning.BAD_CROSS_SIGNATURE).build());

        Set<String> kinds = new TreeSet<>();
        jdbc.queryForList("select payload_type from domain_event_entry", String.class)
                .forEach(type -> kinds.add(type.substring(type.lastIndexOf('$') + 1)));
        return kinds;
    }

    private void keys(ObjectNode body) {
        ObjectNode input = JSON.objectNode().put("type", "keys_query_response");
        input.set("body", body);
        keytrail.process(input);
    }

    /** Every row of the projection's tables, every column but the generated position, in a stable order. */
    private Map<String, List<Map<String, Object>>> model() {
        Map<String, List<Map<String, Object>>> model = new LinkedHashMap<>();
        for (String table : DirectoryProjection.TABLES) {
            String order = switch (table) {
                case "kt_session" -> "position";
                case "kt_device" -> "id";
                default -> "user_id";
            };
            List<Map<String, Object>> rows = jdbc.queryForList("select * from " + table + " order by " + order);
            rows.forEach(row -> row.keySet().removeIf("POSITION"::equalsIgnoreCase));
            model.put(table, rows);
        }
        return model;
    }
}
