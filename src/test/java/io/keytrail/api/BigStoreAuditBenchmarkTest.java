package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds a big store and runs {@code audit verify --json} on it, reporting events, decisions and decisions/s.
 * Opt-in, reports and never asserts a time:
 *
 * <pre>mvn -B -o test -Dtest=BigStoreAuditBenchmarkTest -Dkeytrail.bigstore.events=100000 \
 *     -Dkeytrail.bigstore.dir=/tmp/kt-big -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * The engine decides a template ({@link BigStoreRecording}, 72 room keys, replayed with {@code replay --store}:
 * real keys, verifications, re-decisions); its sessions whose every decision stands wherever it sits in the
 * stream (all but those upgraded by a verification) are then copied with SQL under new session ids until the
 * store holds the asked number of events: first every copy's arrival, then the late users' re-decisions, so
 * a session's events lie far apart. (Copies keep the template's sealed key: the store is for auditing, its
 * sessions do not decrypt.) An existing store in the directory is reused. Figures go to the log and to
 * {@code target/audit-verify-benchmark.txt}; to watch memory, verify the store with the jar under a small heap:
 * {@code java -Xmx64m -jar target/keytrail.jar audit verify --store /tmp/kt-big/store}.
 */
class BigStoreAuditBenchmarkTest {
    private static final Logger log = LoggerFactory.getLogger(BigStoreAuditBenchmarkTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void auditVerifyOfABigStore_reportsItsRate() throws Exception {
        Integer events = Integer.getInteger("keytrail.bigstore.events");
        assumeTrue(events != null, "opt-in: -Dkeytrail.bigstore.events=N");
        Path dir = Path.of(System.getProperty("keytrail.bigstore.dir", "target/bigstore"));
        Path store = dir.resolve("store");
        Files.createDirectories(dir);
        if (!Files.exists(store.resolve(CliContext.DATABASE_FILE))) {
            Path recording = dir.resolve("template.jsonl");
            BigStoreRecording.write(72, recording);
            ReplayCommandTest.Run replay = ReplayCommandTest.replay(dir, recording.toString(), "--store", store.toString());
            assertThat(replay.exit()).as(replay.stderr()).isZero();
            long start = System.nanoTime();
            long total = multiply(store, events);
            log.info("store {}: {} events ({} s of copying)", store, total, (System.nanoTime() - start) / 1e9);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(new String[] {"audit", "verify", "--store", store.toString(), "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode summary = JSON.readTree(lines[lines.length - 1]).path("summary");
        String figures = "audit verify on " + store + ": " + summary;
        log.info(figures);
        Files.writeString(Path.of("target/audit-verify-benchmark.txt"), figures + "\n");
        assertThat(exit).as(figures + "\n" + String.join("\n", List.of(lines).subList(0, Math.min(5, lines.length))))
                .isZero();
    }

    private record Row(String aggregate, long sequence, String sessionId, byte[] meta, String payload, String revision,
                       String type, String kind) {
    }

    /** Copies the template's stable sessions until the store holds {@code target} events; returns the count. */
    static long multiply(Path store, int target) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + store.toAbsolutePath().resolve("keytrail"),
                "sa", "")) {
            db.setAutoCommit(false);
            Map<String, List<Row>> sessions = new LinkedHashMap<>();
            try (ResultSet rows = db.createStatement().executeQuery("select aggregate_identifier, sequence_number, "
                    + "meta_data, payload, payload_revision, payload_type, type from domain_event_entry "
                    + "where aggregate_identifier like '!%' order by global_index")) {
                while (rows.next()) {
                    String aggregate = rows.getString(1);
                    sessions.computeIfAbsent(aggregate, a -> new ArrayList<>()).add(new Row(aggregate, rows.getLong(2),
                            aggregate.substring(aggregate.lastIndexOf('|') + 1), rows.getBytes(3),
                            new String(rows.getBytes(4), StandardCharsets.UTF_8), rows.getString(5), rows.getString(6),
                            rows.getString(7)));
                }
            }
            sessions.values().removeIf(events -> events.stream().anyMatch(r -> r.payload().contains("MSK_VERIFIED")
                    || r.payload().contains("SessionDiscarded")));
            long index;
            try (ResultSet max = db.createStatement().executeQuery("select max(global_index), count(*) from domain_event_entry")) {
                max.next();
                index = max.getLong(1);
                long count = max.getLong(2);
                int perCopy = sessions.values().stream().mapToInt(List::size).sum();
                int copies = (int) Math.max(0, (target - count + perCopy - 1) / perCopy);
                String now = DateTimeUtils.formatInstant(Instant.now());
                try (PreparedStatement insert = db.prepareStatement("insert into domain_event_entry (global_index, "
                        + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp, "
                        + "aggregate_identifier, sequence_number, type) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    // Arrivals first, then every later event: a session's events lie far apart in the stream.
                    for (int phase = 0; phase < 2; phase++) {
                        for (int copy = 0; copy < copies; copy++) {
                            for (List<Row> events : sessions.values()) {
                                for (Row row : phase == 0 ? events.subList(0, 1) : events.subList(1, events.size())) {
                                    String sessionId = row.sessionId().substring(0, 35) + String.format("x%07d", copy);
                                    String aggregate = row.aggregate().substring(0, row.aggregate().lastIndexOf('|') + 1)
                                            + sessionId;
                                    insert.setLong(1, ++index);
                                    insert.setString(2, UUID.randomUUID().toString());
                                    insert.setBytes(3, row.meta());
                                    insert.setBytes(4, row.payload().replace("\"" + row.sessionId() + "\"",
                                            "\"" + sessionId + "\"").getBytes(StandardCharsets.UTF_8));
                                    insert.setString(5, row.revision());
                                    insert.setString(6, row.type());
                                    insert.setString(7, now);
                                    insert.setString(8, aggregate);
                                    insert.setLong(9, row.sequence());
                                    insert.setString(10, row.kind());
                                    insert.addBatch();
                                    if (index % 5000 == 0) {
                                        insert.executeBatch();
                                        db.commit();
                                    }
                                }
                            }
                        }
                    }
                    insert.executeBatch();
                }
            }
            // The engine numbers later events after the copies.
            db.createStatement().execute("alter sequence domain_event_entry_seq restart with " + (index + 1));
            db.commit();
            try (ResultSet count = db.createStatement().executeQuery("select count(*) from domain_event_entry")) {
                count.next();
                return count.getLong(1);
            }
        }
    }
}
