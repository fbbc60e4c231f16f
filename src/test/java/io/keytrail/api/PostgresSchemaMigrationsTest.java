package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import io.keytrail.api.process.ServiceProcess;

/**
 * {@link SchemaMigrationsTest} on PostgreSQL (runs when {@code KEYTRAIL_TEST_POSTGRES_URL} is set): V1
 * is exactly the schema Keytrail made there before Flyway, and a schema made then, with rows in it, is
 * adopted at V1 by a starting service without losing a row. Each test works in schemas of its own,
 * dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = PostgresEventStoreTest.URL_VARIABLE, matches = ".+")
class PostgresSchemaMigrationsTest {
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> schemas = new ArrayList<>();

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String url(String schema) {
        String url = System.getenv(PostgresEventStoreTest.URL_VARIABLE);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private Connection schema(String name) throws SQLException {
        Connection c = DriverManager.getConnection(url(name), user(), password());
        try (Statement s = c.createStatement()) {
            s.execute("create schema " + name);
            s.execute("set search_path to " + name);
        }
        schemas.add(name);
        return c;
    }

    private static String user() {
        return env("KEYTRAIL_TEST_POSTGRES_USER", "keytrail");
    }

    private static String password() {
        return env("KEYTRAIL_TEST_POSTGRES_PASSWORD", "keytrail");
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(System.getenv(PostgresEventStoreTest.URL_VARIABLE), user(),
                password()); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    @Test
    void emptySchema_migratesToExactlyTheSchemaKeytrailMadeBeforeFlyway() throws Exception {
        try (Connection migrated = schema("ops_v1_" + tag); Connection previous = schema("ops_previous_" + tag)) {
            SchemaMigrations.migrate(SchemaMigrationsTest.dataSource(url("ops_v1_" + tag), user(), password()), "1");
            ScriptUtils.executeSqlScript(previous, new ClassPathResource("db/previous/postgresql-schema.sql"));

            assertThat(SchemaSnapshot.of(migrated, "ops_v1_" + tag))
                    .contains("table domain_event_entry", "table token_entry", "table scheduled_tasks", "table kt_session")
                    .containsExactlyElementsOf(SchemaSnapshot.of(previous, "ops_previous_" + tag));
            assertThat(SchemaMigrationsTest.history(migrated)).containsExactly("1 SQL baseline");
        }
    }

    @Test
    void schemaMadeBeforeFlyway_isAdoptedByAStartingService_withEveryRowKept(@TempDir Path dir) throws Exception {
        String name = "ops_adopt_" + tag;
        try (Connection c = schema(name); Statement s = c.createStatement()) {
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/previous/postgresql-schema.sql"));
            s.execute("insert into keytrail_user_lock values ('@adopted:pg.test')");
            s.execute("insert into kt_identity (user_id, previously_verified, verified) values ('@adopted:pg.test', false, true)");

            try (ServiceProcess node = ServiceProcess.start(dir, "adopting", List.of(
                    "--spring.profiles.active=postgres", "--spring.datasource.url=" + url(name),
                    "--spring.jpa.properties.hibernate.default_schema=" + name,
                    "--spring.datasource.username=" + user(), "--spring.datasource.password=" + password()))) {
                assertThat(node.problems()).isEmpty();
            }

            List<String> adopted = new ArrayList<>(List.of("1 BASELINE store created before schema migrations"));
            adopted.addAll(SchemaMigrationsTest.AFTER_V1);
            assertThat(SchemaMigrationsTest.history(c)).containsExactlyElementsOf(adopted);
            try (ResultSet r = s.executeQuery("select verified from kt_identity where user_id = '@adopted:pg.test'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(1)).isTrue();
            }
            try (ResultSet r = s.executeQuery("select count(*) from keytrail_user_lock")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
        }
    }
}
