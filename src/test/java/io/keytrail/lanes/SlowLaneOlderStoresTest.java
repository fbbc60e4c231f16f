package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.api.KeytrailApplication;
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
 * events without the {@code SenderKeysWanted} rows. And the saga's processor must skip receipts without
 * reading their payloads.
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
     */
    @Test
    void receiptAnOlderVersionsSagaHadNotReadYet_isQueriedAfterTheUpgrade_withoutNewInput() throws SQLException {
        TestAccount kim = RoomKeys.uniqueAccount("kim", "PHONE");
        TestAccount lou = RoomKeys.uniqueAccount("lou", "PHONE");
        RoomKeys.Prepared read = RoomKeys.fromUnknownDevice(kim, "PHONE");
        RoomKeys.Prepared unread = RoomKeys.fromUnknownDevice(lou, "PHONE");
        try (ConfigurableApplicationContext older = start("")) {
            read.receiveOn(older.getBean(Keytrail.class));
            TrackingEventProcessor saga = older.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(LaneConfiguration.SAGA_PROCESSOR, TrackingEventProcessor.class).orElseThrow();
            JdbcTemplate jdbc = older.getBean(JdbcTemplate.class);
            long readAt = globalIndexOf(jdbc, read.sessionId());
            await().atMost(PATIENCE).until(() -> saga.processingStatus().values().stream().anyMatch(s ->
                    s.getTrackingToken() != null && s.getTrackingToken().position().orElse(-1) >= readAt));
            saga.shutDown(); // the processor stops here: what follows is stored but never read by it
            unread.receiveOn(older.getBean(Keytrail.class));
        }
        int removed = makeOld();
        assertThat(removed).as("SenderKeysWanted rows the older version would not have written").isEqualTo(2);

        ObjectNode lousKeys = KeysQueryBody.of(lou);
        try (StubHomeserver answering = StubHomeserver.start().respond(request -> Reply.json(lousKeys));
             ConfigurableApplicationContext upgraded = start(answering.baseUrl())) {
            Keytrail keytrail = upgraded.getBean(Keytrail.class);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM, unread.sessionId())
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
     */
    @Test
    void olderStoreWithoutASagaToken_itsWaitingSessionsAreQueried_theResolvedOnesAreNot() throws SQLException {
        TestAccount max = RoomKeys.uniqueAccount("max", "PHONE");
        TestAccount ned = RoomKeys.uniqueAccount("ned", "PHONE");
        RoomKeys.Prepared waiting = RoomKeys.fromUnknownDevice(max, "PHONE");
        RoomKeys.Prepared resolved = RoomKeys.fromUnknownDevice(ned, "PHONE");
        try (ConfigurableApplicationContext older = start("")) {
            Keytrail keytrail = older.getBean(Keytrail.class);
            waiting.receiveOn(keytrail);
            resolved.receiveOn(keytrail);
            keytrail.recordKeysQuery(KeysQueryBody.of(ned));
            assertThat(keytrail.session(RoomKeys.ROOM, resolved.sessionId()).orElseThrow().senderData())
                    .isInstanceOf(SenderData.SenderUnverified.class);
        }
        makeOld();
        try (Connection db = DriverManager.getConnection(url(), "sa", "");
             Statement sql = db.createStatement()) {
            sql.executeUpdate("delete from token_entry where processor_name = '" + LaneConfiguration.SAGA_PROCESSOR
                    + "'");
        }
        // A receipt whose payload cannot be read: the catch-up skips that session, not the others.
        try (Connection db = DriverManager.getConnection(url(), "sa", "")) {
            insertUnreadableReceipt(new JdbcTemplate(new SingleConnectionDataSource(db, true)));
        }

        try (StubHomeserver answering = StubHomeserver.start().respond(request -> Reply.json(
                KeysQueryBody.of(max)));
             ConfigurableApplicationContext upgraded = start(answering.baseUrl())) {
            Keytrail keytrail = upgraded.getBean(Keytrail.class);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM,
                    waiting.sessionId()).orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
            KeysWantedCatchUp.Result caughtUp = upgraded.getBean(KeysWantedCatchUp.class).lastResult().orElseThrow();
            assertThat(caughtUp.from()).isZero();
            assertThat(caughtUp.sessionsLooked()).as("waiting, resolved and unreadable").isEqualTo(3);
            assertThat(caughtUp.wantsRecorded()).as("the resolved session moved on: no want recorded").isEqualTo(1);
            assertThat(answering.requestsFor(ned.userId())).isEmpty();
        }
    }

    /**
     * The saga's processor asks the saga model whether a handler takes each event; the answer compares the
     * payload type (from the stored type name) and never deserialises the payload. No handler takes a
     * receipt any more, so a receipt whose stored payload cannot even be read is passed over, and the want
     * stored after it still starts a saga. Had the saga handled receipts, the processor would have
     * deserialised that row to find its association, failed, and stopped there, retrying it.
     */
    @Test
    void sagaProcessorSkipsReceiptsUnread_evenOneWhosePayloadCannotBeRead() {
        try (ConfigurableApplicationContext engine = start("")) {
            TrackingEventProcessor saga = engine.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(LaneConfiguration.SAGA_PROCESSOR, TrackingEventProcessor.class).orElseThrow();
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
            long unreadable = insertUnreadableReceipt(jdbc);
            TestAccount oli = RoomKeys.uniqueAccount("oli", "PHONE");
            // No homeserver: the saga starts on the want and ends at once, so the processor's position tells.
            RoomKeys.fromUnknownDevice(oli, "PHONE").receiveOn(engine.getBean(Keytrail.class));
            long wantedAt = jdbc.queryForObject("select max(global_index) from domain_event_entry where payload_type = ?",
                    Long.class, WANTED);
            assertThat(wantedAt).isGreaterThan(unreadable);
            await().atMost(PATIENCE).until(() -> saga.processingStatus().values().stream().anyMatch(s ->
                    s.getTrackingToken() != null && s.getTrackingToken().position().orElse(-1) >= wantedAt));
            assertThat(saga.processingStatus().values()).noneMatch(s -> s.isErrorState());
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

    /** Deletes the rows an older version would not have written; returns how many. */
    private int makeOld() throws SQLException {
        try (Connection db = DriverManager.getConnection(url(), "sa", "");
             Statement sql = db.createStatement()) {
            return sql.executeUpdate("delete from domain_event_entry where payload_type = '" + WANTED + "'");
        }
    }

    private static long globalIndexOf(JdbcTemplate jdbc, String sessionId) {
        return jdbc.queryForObject("select max(global_index) from domain_event_entry where aggregate_identifier = ?",
                Long.class, RoomKeys.ROOM + "|" + sessionId);
    }

    private ConfigurableApplicationContext start(String homeserver) {
        return new SpringApplicationBuilder(KeytrailApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run("--spring.datasource.url=" + url(),
                        "--keytrail.data-dir=" + store.toAbsolutePath(),
                        "--keytrail.session-key-encryption-key=" + RoomKeys.SEALING_KEY,
                        "--keytrail.homeserver.base-url=" + homeserver,
                        "--keytrail.homeserver.connect-timeout=200ms", // loopback
                        "--keytrail.homeserver.read-timeout=3s",
                        "--keytrail.retry.initial-delay=100ms",
                        "--keytrail.retry.jitter=0",
                        "--db-scheduler.polling-interval=25ms");
    }

    private String url() {
        return "jdbc:h2:file:" + store.resolve("keytrail").toAbsolutePath();
    }
}
