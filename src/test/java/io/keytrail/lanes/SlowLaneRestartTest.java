package io.keytrail.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventsourcing.eventstore.EventStore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.api.Keytrail;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.lanes.StubHomeserver.Reply;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * A restart loses nothing (ADR 0005): two runs of the whole application on one H2 file store. No input
 * is given to the second run; the persisted saga and deadlines finish the work. (The saga processor's start
 * at the tail, once a scenario here, shares a store life with the older stores' in
 * {@link SlowLaneOlderStoresTest}.)
 */
class SlowLaneRestartTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path store;

    @Test
    void sessionReceivedBeforeACrashIsResolvedAfterTheRestart_withoutNewInput() throws SQLException {
        TestAccount ivy = RoomKeys.uniqueAccount("ivy", "PHONE");
        RoomKeys.Prepared key = RoomKeys.fromUnknownDevice(ivy, "PHONE");
        CountDownLatch never = new CountDownLatch(1);
        try (StubHomeserver silent = StubHomeserver.start().respond(request -> {
            never.await(5, TimeUnit.MINUTES);
            return new Reply(500, "{}");
        })) {
            try (ConfigurableApplicationContext first = start(silent.baseUrl(), "1s")) {
                key.receiveOn(first.getBean(Keytrail.class));
                LaneAwait.within(PATIENCE).until(() -> silent.requestsFor(ivy.userId()).size() == 1);
                LaneAwait.within(PATIENCE).until(() -> waitingSagas(first, ivy.userId()) == 1);
            } // the query is still in flight: its answer will never come
        }
        // As after a real crash, the restart comes late: every persisted deadline is overdue by then.
        // Time passes in the store instead of on the wall clock.
        makeEveryDeadlineOverdue();

        ObjectNode ivysKeys = KeysQueryBody.of(ivy);
        try (StubHomeserver answering = StubHomeserver.start().respond(request -> Reply.json(ivysKeys));
             ConfigurableApplicationContext second = start(answering.baseUrl(), "3s")) {
            Keytrail keytrail = second.getBean(Keytrail.class);
            LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(keytrail.session(RoomKeys.ROOM, key.sessionId())
                    .orElseThrow().senderData()).isInstanceOf(SenderData.SenderUnverified.class));
            assertThat(answering.requestsFor(ivy.userId())).isNotEmpty();
            // The unanswered query counts as failed: by the client's timeout if it fired before the
            // shutdown, else by the persisted response timeout after the restart.
            // (The failure is recorded asynchronously: the retry does not wait for it.)
            LaneAwait.within(PATIENCE).untilAsserted(() -> assertThat(second.getBean(EventStore.class)
                    .readEvents(ivy.userId()).asStream()
                    .map(e -> (Object) e.getPayload()).filter(KeysQueryFailed.class::isInstance)
                    .map(e -> ((KeysQueryFailed) e).reason()))
                    .isNotEmpty().allMatch(r -> r.startsWith("no answer within") || r.startsWith("timed out")));
            LaneAwait.within(PATIENCE).until(() -> waitingSagas(second, ivy.userId()) == 0);
        }
    }

    private void makeEveryDeadlineOverdue() throws SQLException {
        try (Connection db = DriverManager.getConnection(url(), "sa", "");
             PreparedStatement overdue = db.prepareStatement("update scheduled_tasks set execution_time = ?")) {
            overdue.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofMinutes(1))));
            assertThat(overdue.executeUpdate()).as("persisted deadlines").isPositive();
        }
    }

    private ConfigurableApplicationContext start(String homeserver, String readTimeout) {
        return FileStoreEngine.start(store, homeserver, readTimeout);
    }

    private String url() {
        return FileStoreEngine.url(store);
    }

    private static int waitingSagas(ConfigurableApplicationContext context, String userId) {
        return context.getBean(JdbcTemplate.class).queryForObject("select count(*) from association_value_entry "
                + "where association_key = ? and association_value = ?", Integer.class, KeysQuerySaga.USER, userId);
    }
}
