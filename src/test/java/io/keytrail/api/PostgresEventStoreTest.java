package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.keytrail.PostgresSpringTest;
import io.keytrail.api.EventStoreProbe.ProbeRecorded;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The production store: PostgreSQL through the {@code postgres} profile (ADR 0002). Runs only when
 * {@code KEYTRAIL_TEST_POSTGRES_URL} names a database the test may write to ({@code .ci/run} prepares
 * one); {@code KEYTRAIL_TEST_POSTGRES_USER} and {@code KEYTRAIL_TEST_POSTGRES_PASSWORD} default to
 * {@code keytrail}. Every run uses fresh aggregate ids, so the database can be reused.
 */
class PostgresEventStoreTest extends PostgresSpringTest {

    /** Kept for the classes that name it. */
    static final String URL_VARIABLE = PostgresSpringTest.URL_VARIABLE;

    private static final String[] PROFILES = {"test", "postgres"};

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void binaryColumnsAreBytea_andTheGlobalIndexSequenceStepsByOne() {
        assertThat(columnType("domain_event_entry", "payload")).isEqualTo("bytea");
        assertThat(columnType("domain_event_entry", "meta_data")).isEqualTo("bytea");
        assertThat(columnType("snapshot_event_entry", "payload")).isEqualTo("bytea");
        assertThat(columnType("token_entry", "token")).isEqualTo("bytea");
        assertThat(jdbc.queryForObject(
                "select increment from information_schema.sequences"
                        + " where sequence_schema = current_schema() and sequence_name = 'domain_event_entry_seq'",
                String.class)).isEqualTo("1");
    }

    @Test
    void appendedEventIsReadBack_asJsonStoredInline() {
        String probeId = UUID.randomUUID().toString();
        ProbeRecorded payload = new ProbeRecorded(probeId, "hello");

        EventStoreProbe.append(context, probeId, payload);

        EventStoreProbe.assertSingleProbeEvent(EventStoreProbe.read(context, probeId), probeId, payload);
        // bytea keeps the serialized JSON in the row; an oid column would hold a large-object number.
        String storedJson = jdbc.queryForObject(
                "select convert_from(payload, 'UTF8') from domain_event_entry where aggregate_identifier = ?",
                String.class, probeId);
        assertThat(storedJson).contains("\"note\":\"hello\"");
    }

    @Test
    void eventSurvivesARestart() {
        String[] args = {
                "--spring.datasource.url=" + url(),
                "--spring.datasource.username=" + user(),
                "--spring.datasource.password=" + password()};
        String probeId = UUID.randomUUID().toString();
        ProbeRecorded payload = new ProbeRecorded(probeId, "written before restart");

        // Written by this class's engine and committed on the server (the store is the database, not the
        // process: unlike H2's file, nothing is left to flush when the writer stops), then read by an
        // application started afterwards, which has nothing in memory from the first.
        EventStoreProbe.append(context, probeId, payload);
        try (ConfigurableApplicationContext second = EventStoreProbe.startApplication(PROFILES, args)) {
            EventStoreProbe.assertSingleProbeEvent(EventStoreProbe.read(second, probeId), probeId, payload);
        }
    }

    private String columnType(String table, String column) {
        return jdbc.queryForObject(
                "select data_type from information_schema.columns"
                        + " where table_schema = current_schema() and table_name = ? and column_name = ?",
                String.class, table, column);
    }
}
