package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.keytrail.api.EventStoreProbe.ProbeRecorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production store: PostgreSQL through the {@code postgres} profile (ADR 0002). Runs only when
 * {@code KEYTRAIL_TEST_POSTGRES_URL} names a database the test may write to ({@code .ci/run} prepares
 * one); {@code KEYTRAIL_TEST_POSTGRES_USER} and {@code KEYTRAIL_TEST_POSTGRES_PASSWORD} default to
 * {@code keytrail}. Every run uses fresh aggregate ids, so the database can be reused.
 */
@SpringBootTest
@ActiveProfiles({"test", "postgres"})
@EnabledIfEnvironmentVariable(named = PostgresEventStoreTest.URL_VARIABLE, matches = ".+")
class PostgresEventStoreTest {

    static final String URL_VARIABLE = "KEYTRAIL_TEST_POSTGRES_URL";

    private static final String[] PROFILES = {"test", "postgres"};

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresEventStoreTest::url);
        registry.add("spring.datasource.username", PostgresEventStoreTest::user);
        registry.add("spring.datasource.password", PostgresEventStoreTest::password);
    }

    private static String url() {
        return System.getenv(URL_VARIABLE);
    }

    private static String user() {
        return envOrDefault("KEYTRAIL_TEST_POSTGRES_USER", "keytrail");
    }

    private static String password() {
        return envOrDefault("KEYTRAIL_TEST_POSTGRES_PASSWORD", "keytrail");
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

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

        try (ConfigurableApplicationContext first = EventStoreProbe.startApplication(PROFILES, args)) {
            EventStoreProbe.append(first, probeId, payload);
        }
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
