package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.SenderData;

/**
 * The keys-query saga starts on {@link SenderKeysWanted} only (ADR 0019). Stores written before that event
 * existed hold receipts without it: a session that waited for keys must still be queried after the upgrade
 * ({@link KeysWantedCatchUp}). Each store here is made "old" the way the older version wrote it: the same
 * events without the {@code SenderKeysWanted} rows of its older sessions. And the saga's processor must skip
 * receipts without reading their payloads. Each engine start is part of a scenario (the older version, the
 * upgrade); scenarios that can share a store life do (two stores, four starts).
 */
class SlowLaneOlderStoresTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String WANTED = SenderKeysWanted.class.getName();

    @TempDir
    Path store;

    /**
     * The older version stopped while its saga processor had not yet read a receipt from an unknown device
     * (its token lags behind it). After the upgrade nobody gives new input: the session is still queried
     * and upgraded. A receipt the processor had read before is not looked at again.
     *
     * <p>Before that, in the older engine: the saga's processor asks the saga model whether a handler takes
     * each event; the answer compares the payload type (from the stored type name) and never deserialises
     * the payload. No handler takes a receipt any more, so a receipt whose stored payload cannot even be read
     * is passed over, and the want stored after it still starts a saga. Had the saga handled receipts, the
     * processor would have deserialised that row to find its association, failed, and stopped there,
     * retrying it. (One store life for both: the older engine's saga must read a want anyway.)
     */
    @Test
    void sagaProcessorSkipsReceiptsUnread_andAReceiptAnOlderVersionsSagaHadNotReadYet_isQueriedAfterTheUpgrade()
            throws SQLException {
        TestAccount kim = RoomKeys.uniqueAccount("kim", "PHONE");
        TestAccount lou = RoomKeys.uniqueAccount("lou", "PHONE");
        RoomKeys.Prepared read = RoomKeys.fromUnknownDevice(kim, "PHONE");
        RoomKeys.Prepared unread = RoomKeys.fromUnknownDevice(lou, "PHONE");
        try (ConfigurableApplicationContext older = start("")) {
            TrackingEventProcessor saga = older.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(LaneConfiguration.SAGA_PROCESSOR, TrackingEventProcessor.class).orElseThrow();
            JdbcTemplate jdbc = older.getBean(JdbcTemplate.class);
            long unreadable = insertUnreadableReceipt(jdbc);
            // No homeserver: the saga starts on the want and ends at once, so the processor's position tells.
            read.receiveOn(older.getBean(Keytrail.class));
            long readAt = jdbc.queryForObject("select max(global_index) from domain_event_entry where payload_type = ?"
                    + " and aggregate_identifier = ?", Long.class, WANTED, aggregateOf(read));
            assertThat(readAt).isGreaterThan(unreadable);
            LaneAwait.within(PATIENCE).until(() -> saga.processingStatus().values().stream().anyMatch(s ->
                    s.getTrackingToken() != null && s.getTrackingToken().position().orElse(-1) >= readAt));
            assertThat(saga.processingStatus().values()).noneMatch(s -> s.isErrorState());
            saga.shutDown(); // the processor stops here: what follows is stored but never read by it
            unread.receiveOn(older.getBean(Keytrail.class));
        }
        int removed = makeOld(read, unread);
        assertThat(removed).as("SenderKeysWanted rows the older version would not have written").isEqualTo(2);

        ObjectNode lousKeys = KeysQueryBody.of(lou);
        try (StubHomeserver answering = StubHomeserver.start().respond(request -> Reply.json(lousKeys));
             ConfigurableApplicationContext upgraded = start(answering.baseUrl())) {
            Keytrail keytrail = upgraded.getBean(Keytrail.class);
            LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM, unread.sessionId())
                    .orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
            KeysWantedCatchUp.Result caughtUp = upgraded.getBean(KeysWantedCatchUp.class).lastResult().orElseThrow();
            assertThat(caughtUp.sessionsLooked()).as("only the receipt the processor had not read").isEqualTo(1);
            assertThat(caughtUp.wantsRecorded()).isEqualTo(1);
            assertThat(answering.requestsFor(kim.userId())).as("read before the upgrade: its saga ran then").isEmpty();
        }
    }

    /**
     * ADR 0005's tail start on an older store: no saga token at all (the processor never ran there), and
     * no {@code SenderKeysWanted} rows. The first start with a homeserver still queries the waiting session;
     * a session whose keys arrived meanwhile is not queried again.
     *
     * <p>The saga-processor start-position trap, in the same store life: a saga processor that starts at
     * the head never sees events stored before its first token. Ours starts at the tail, so a session that
     * this version stored while the lane did not exist (no homeserver configured, and no saga token; its
     * {@code SenderKeysWanted} is stored) is picked up at the next start too, by the saga itself: the
     * catch-up does not look at it. (It was {@code SlowLaneRestartTest}'s second scenario, two boots of its own.)
     */
    @Test
    void storeWithoutASagaToken_itsWaitingSessionsAreQueried_olderOnesToo_theResolvedOnesAreNot() throws SQLException {
        TestAccount max = RoomKeys.uniqueAccount("max", "PHONE");
        TestAccount ned = RoomKeys.uniqueAccount("ned", "PHONE");
        TestAccount jack = RoomKeys.uniqueAccount("jack", "PHONE");
        RoomKeys.Prepared waiting = RoomKeys.fromUnknownDevice(max, "PHONE");
        RoomKeys.Prepared resolved = RoomKeys.fromUnknownDevice(ned, "PHONE");
        RoomKeys.Prepared beforeTheLane = RoomKeys.fromUnknownDevice(jack, "PHONE");
        try (ConfigurableApplicationContext older = start("")) {
            Keytrail keytrail = older.getBean(Keytrail.class);
            waiting.receiveOn(keytrail);
            resolved.receiveOn(keytrail);
            beforeTheLane.receiveOn(keytrail);
            keytrail.recordKeysQuery(KeysQueryBody.of(ned));
            assertThat(keytrail.session(RoomKeys.ROOM, resolved.sessionId()).orElseThrow().senderData())
                    .isInstanceOf(SenderData.SenderUnverified.class);
        }
        assertThat(makeOld(waiting, resolved)).as("the older version's sessions lose their wants").isEqualTo(2);
        try (Connection db = DriverManager.getConnection(url(), "sa", "");
             Statement sql = db.createStatement()) {
            sql.executeUpdate("delete from token_entry where processor_name = '" + LaneConfiguration.SAGA_PROCESSOR
                    + "'");
        }
        // A receipt whose payload cannot be read: the catch-up skips that session, not the others.
        try (Connection db = DriverManager.getConnection(url(), "sa", "")) {
            insertUnreadableReceipt(new JdbcTemplate(new SingleConnectionDataSource(db, true)));
        }

        ObjectNode maxAndJack = KeysQueryBody.of(max, jack);
        try (StubHomeserver answering = StubHomeserver.start().respond(request -> Reply.json(maxAndJack));
             ConfigurableApplicationContext upgraded = start(answering.baseUrl())) {
            Keytrail keytrail = upgraded.getBean(Keytrail.class);
            for (RoomKeys.Prepared key : List.of(waiting, beforeTheLane)) {
                LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM,
                        key.sessionId()).orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
            }
            KeysWantedCatchUp.Result caughtUp = upgraded.getBean(KeysWantedCatchUp.class).lastResult().orElseThrow();
            assertThat(caughtUp.from()).isZero();
            assertThat(caughtUp.sessionsLooked()).as("waiting, resolved and unreadable").isEqualTo(3);
            assertThat(caughtUp.wantsRecorded()).as("the resolved session moved on: no want recorded").isEqualTo(1);
            assertThat(answering.requestsFor(ned.userId())).isEmpty();
            assertThat(answering.requestsFor(jack.userId())).as("queried by the saga on its stored want").isNotEmpty();
        }
    }

    /** A {@code SessionReceived} row whose payload is not JSON; returns its global index. */
    private static long insertUnreadableReceipt(JdbcTemplate jdbc) {
        jdbc.update("insert into domain_event_entry (global_index, event_identifier, meta_data, payload, "
                + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "values (next value for domain_event_entry_seq, ?, ?, ?, '1', ?, '2026-11-30T00:00:00Z', ?, 0, "
                + "'MegolmSession')", UUID.randomUUID().toString(), "{}".getBytes(), "not json at all".getBytes(),
                SessionReceived.class.getName(), "!unreadable:example.org|" + UUID.randomUUID());
        return jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
    }

    /** Deletes the rows an older version would not have written for these sessions; returns how many. */
    private int makeOld(RoomKeys.Prepared... olderSessions) throws SQLException {
        int removed = 0;
        try (Connection db = DriverManager.getConnection(url(), "sa", "");
             PreparedStatement sql = db.prepareStatement("delete from domain_event_entry where payload_type = ? "
                     + "and aggregate_identifier = ?")) {
            for (RoomKeys.Prepared session : olderSessions) {
                sql.setString(1, WANTED);
                sql.setString(2, aggregateOf(session));
                removed += sql.executeUpdate();
            }
        }
        return removed;
    }

    private static String aggregateOf(RoomKeys.Prepared session) {
        return RoomKeys.ROOM + "|" + session.sessionId();
    }

    private ConfigurableApplicationContext start(String homeserver) {
        return FileStoreEngine.start(store, homeserver, "3s");
    }

    private String url() {
        return FileStoreEngine.url(store);
    }
}
