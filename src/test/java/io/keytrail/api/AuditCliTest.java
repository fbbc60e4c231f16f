package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The auditor's commands on a store written by replaying the example, run in-process as a user types them:
 * {@code audit verify}, {@code audit trail}, {@code events}; and a row altered with SQL is reported.
 */
class AuditCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!quickstart:example.org";
    /** Alice's session: UnknownDevice on arrival, SenderUnverified when her keys come, SenderVerified when verified. */
    private static final String ALICE = "cVM9Ai6uLDLzBUpOZ+ZQAcX/Q/wWxOta6jnvDLn+V7Y";

    @TempDir
    static Path work;
    static Path store;

    record Run(int exit, String out, String err) {
        List<JsonNode> lines() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : out().split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A store of its own, written by replaying the example (a copy of the one replay of this JVM). */
    static Path replayedStore(String name) {
        return QuickstartStore.copyTo(work.resolve(name));
    }

    @BeforeAll
    static void replayTheExample() {
        store = replayedStore("store");
    }

    @Test
    void verify_asText_confirmsEveryDecision_andSaysHowFast() {
        Run run = run("audit", "verify", "--store", store.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines()).singleElement().asString()
                .containsPattern("^\\d+ events, \\d+ decisions: \\d+ confirmed, 0 differ, 0 unverifiable \\(");
        assertThat(run.err()).contains("audit verify: re-verifying every decision", "decisions/s (done)");
    }

    @Test
    void verify_ofARowAlteredWithSql_reportsTheForgedUpgrade_andExitsThree() throws Exception {
        Path altered = replayedStore("altered");
        // A forger turns the keys-fetched upgrade (0 receipt, 1 keys wanted, 2 keys fetched) into a verified one, rule and all, in the stored JSON.
        try (Connection db = h2(altered)) {
            String json;
            try (PreparedStatement read = db.prepareStatement("select payload from domain_event_entry where "
                    + "payload_type like '%SenderDataChanged' and aggregate_identifier = ? and sequence_number = 2")) {
                read.setString(1, ROOM + "|" + ALICE);
                try (ResultSet row = read.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    json = new String(row.getBytes(1), StandardCharsets.UTF_8);
                }
            }
            String forged = json.replace("\"current\":{\"SenderUnverified\"", "\"current\":{\"SenderVerified\"")
                    .replace("CROSS_SIGNED_UNVERIFIED", "CROSS_SIGNED_VERIFIED");
            assertThat(forged).isNotEqualTo(json);
            try (PreparedStatement write = db.prepareStatement("update domain_event_entry set payload = ? where "
                    + "aggregate_identifier = ? and sequence_number = 2")) {
                write.setBytes(1, forged.getBytes(StandardCharsets.UTF_8));
                write.setString(2, ROOM + "|" + ALICE);
                assertThat(write.executeUpdate()).isOne();
            }
        }

        Run run = run("audit", "verify", "--store", altered.toString(), "--json");

        assertThat(run.exit()).as(run.err()).isEqualTo(KeytrailCli.AUDIT_DIFFERS);
        List<JsonNode> lines = run.lines();
        assertThat(lines.subList(0, lines.size() - 1)).singleElement().satisfies(f -> {
            assertThat(f.path("verdict").asText()).isEqualTo("DIFFERS");
            assertThat(f.path("room_id").asText()).isEqualTo(ROOM);
            assertThat(f.path("session_id").asText()).isEqualTo(ALICE);
            assertThat(f.path("sequence").asLong()).isEqualTo(2);
            assertThat(f.path("event").asText()).isEqualTo("SenderDataChanged");
            assertThat(f.path("recorded").asText()).isEqualTo("CROSS_SIGNED_VERIFIED -> SenderVerified");
            assertThat(f.path("recomputed").asText()).isEqualTo("CROSS_SIGNED_UNVERIFIED -> SenderUnverified");
            assertThat(f.path("reason").asText()).isNotBlank();
        });
        assertThat(lines.get(lines.size() - 1).path("summary").path("differs").asInt()).isOne();
    }

    @Test
    void trail_asText_tellsTheStoryWithEvidenceInWords() {
        Run run = run("audit", "trail", ROOM, ALICE, "--store", store.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo(ROOM + " " + ALICE + ": SenderVerified");
        assertThat(run.out()).contains("#0 ", "SessionReceived  none -> UnknownDevice  [rule NO_DEVICE, step K2]",
                "SenderDataChanged  UnknownDevice -> SenderUnverified  [rule CROSS_SIGNED_UNVERIFIED, step K8, trigger "
                        + "DEVICE_KEYS_FETCHED]",
                "- device ALICEPHONE's keys signed by SSK ", " signed by MSK ",
                "not verified by the local user at that time",
                "SenderDataChanged  SenderUnverified -> SenderVerified  [rule MSK_VERIFIED, trigger VERIFY_MASTER_KEY]",
                " verified by MskVerified at ");
        assertThat(run.out()).doesNotContain("sealed", "session_key", "sessionKey");
    }

    @Test
    void trail_asJson_givesEachEventWithOldAndNewSenderData() throws IOException {
        Run run = run("audit", "trail", ROOM, ALICE, "--store", store.toString(), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode trail = run.lines().get(0);
        assertThat(trail.path("events")).extracting(e -> e.path("event").asText())
                .startsWith("SessionReceived", "SenderKeysWanted", "SenderDataChanged");
        JsonNode upgrade = trail.path("events").get(2);
        assertThat(upgrade.path("from").has("UnknownDevice")).isTrue();
        assertThat(upgrade.path("to").has("SenderUnverified")).isTrue();
        assertThat(upgrade.path("time").asText()).endsWith("Z");
        assertThat(upgrade.path("evidence").size()).isGreaterThanOrEqualTo(3);
        assertThat(run.out()).doesNotContain("sealed");
    }

    @Test
    void trail_ofAnUnknownSession_exitsTwo_withOneLine() {
        Run run = run("audit", "trail", ROOM, "nosuchsession", "--store", store.toString());

        assertThat(run.exit()).isEqualTo(KeytrailCli.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("audit trail: no session nosuchsession in " + ROOM);
    }

    @Test
    void events_listsEveryStoredEventInGlobalOrder_withSealedKeysMasked() throws Exception {
        Run run = run("events", "--store", store.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> events = run.lines();
        assertThat(events).hasSize(count(store, "select count(*) from domain_event_entry"));
        assertThat(events).extracting(e -> e.path("global_index").asLong()).isSorted().doesNotHaveDuplicates();
        JsonNode received = events.stream().filter(e -> e.path("type").asText().equals("SessionReceived")).findFirst()
                .orElseThrow();
        assertThat(received.fieldNames()).toIterable().contains("global_index", "time", "aggregate", "sequence", "type",
                "revision", "payload");
        assertThat(received.path("revision").asText()).isEqualTo("1");
        assertThat(received.at("/payload/sealedSessionKey").asText()).matches("sealed:[A-Za-z0-9_-]+");
        for (String sealed : column(store, "select payload from domain_event_entry where payload_type like "
                + "'%SessionReceived'")) {
            String ciphertext = JSON.readTree(sealed).path("sealedSessionKey").asText();
            assertThat(run.out()).doesNotContain(ciphertext.substring(ciphertext.lastIndexOf(':') + 1));
        }
    }

    @Test
    void events_filters_byAggregateTypeAndTime() throws IOException {
        List<JsonNode> alice = run("events", "--store", store.toString(), "--aggregate", ROOM + "|" + ALICE).lines();
        List<JsonNode> changes = run("events", "--store", store.toString(), "--type", "SenderDataChanged").lines();
        Run future = run("events", "--store", store.toString(), "--since", "2999-01-01T00:00:00Z");
        Run badTime = run("events", "--store", store.toString(), "--since", "yesterday");

        // received from an unknown device, keys wanted (ADR 0019), keys fetched, verified
        assertThat(alice).extracting(e -> e.path("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(alice.get(1).path("type").asText()).isEqualTo("SenderKeysWanted");
        assertThat(changes).isNotEmpty().allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("SenderDataChanged"));
        assertThat(future.exit()).isZero();
        assertThat(future.out()).isEmpty();
        assertThat(badTime.exit()).isEqualTo(KeytrailCli.USAGE);
        assertThat(badTime.err()).startsWith("events: --since needs an ISO-8601 instant");
    }

    @Test
    void eventsFollow_printsEventsStoredAfterItStarted() throws Exception {
        Path followed = replayedStore("followed");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
        int before = count(followed, "select count(*) from domain_event_entry");
        Thread follower = new Thread(() -> KeytrailCli.execute(new String[] {"events", "--store", followed.toString(),
                "--follow", "--poll", "20"}, printer, new PrintStream(new ByteArrayOutputStream())));
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == before);
            // Another writer (here: this JVM, sharing the open database) stores one more event.
            try (Connection db = h2(followed)) {
                db.createStatement().execute("insert into domain_event_entry (global_index, event_identifier, meta_data, "
                        + "payload, payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                        + "select global_index + 1000, 'followed-event', meta_data, payload, payload_revision, payload_type, "
                        + "time_stamp, aggregate_identifier, sequence_number + 1000, type from domain_event_entry "
                        + "where global_index = (select max(global_index) from domain_event_entry)");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == before + 1);
        } finally {
            follower.interrupt();
            follower.join(30_000);
        }
        assertThat(follower.isAlive()).isFalse();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).path("sequence").asLong()).isGreaterThanOrEqualTo(1000);
    }

    private static Connection h2(Path dir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("keytrail"), "sa", "");
    }

    private static int count(Path dir, String sql) throws SQLException {
        try (Connection db = h2(dir); ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static List<String> column(Path dir, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection db = h2(dir); ResultSet rows = db.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                out.add(new String(rows.getBytes(1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
