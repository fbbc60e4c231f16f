package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keytrail's own Flyway owns its schema (ADRs 0015, 0024). V1 is exactly the schema Keytrail made before
 * Flyway; a store made then (test resources under {@code db/previous/}, dumped from commit 9628c94) is
 * adopted at V1 with every row kept, and the engine runs on it; a host's own tables and Flyway history
 * are left alone beside Keytrail's; a store whose Keytrail migrations went to the shared history is
 * baselined where they stopped.
 * PostgreSQL: {@code PostgresSchemaMigrationsTest}.
 */
class SchemaMigrationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The public test sealing key of application-test.yml, which sealed the keys of the previous store. */
    private static final String TEST_SEALING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    static DataSource dataSource(String url, String user, String password) {
        return new DriverManagerDataSource(url, user, password);
    }
    /** The migrations after V1, as the history lists them. */
    static final List<String> AFTER_V1 = List.of("2 SQL per session data keys", "3 SQL import claims",
            "4 SQL ingest sequences", "5 SQL decrypted index cache");

    @Test
    void emptyH2Database_migratesToExactlyTheSchemaKeytrailMadeBeforeFlyway() throws Exception {
        String migrated = "jdbc:h2:mem:v1-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String previous = "jdbc:h2:mem:previous-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection m = DriverManager.getConnection(migrated, "sa", "");
                Connection p = DriverManager.getConnection(previous, "sa", "")) {
            SchemaMigrations.migrate(dataSource(migrated, "sa", ""), "1");
            ScriptUtils.executeSqlScript(p, new ClassPathResource("db/previous/h2-schema.sql"));

            assertThat(SchemaSnapshot.of(m, "PUBLIC")).contains("table domain_event_entry", "table token_entry",
                    "table saga_entry", "table association_value_entry", "table dead_letter_entry",
                    "table snapshot_event_entry", "table scheduled_tasks", "table kt_session")
                    .containsExactlyElementsOf(SchemaSnapshot.of(p, "PUBLIC"));
            assertThat(history(m)).containsExactly("1 SQL baseline");

            SchemaMigrations.migrate(dataSource(migrated, "sa", ""), null);
            List<String> all = new ArrayList<>(List.of("1 SQL baseline"));
            all.addAll(AFTER_V1);
            assertThat(history(m)).containsExactlyElementsOf(all);
            assertThat(SchemaSnapshot.of(m, "PUBLIC")).contains("table keytrail_data_key");
        }
    }

    @Test
    void h2Sequences_cacheAThousandValues_yetStillCountUpByOne_andSessionPositionsFollowTheStoredRows()
            throws Exception {
        String url = "jdbc:h2:mem:v4-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            SchemaMigrations.migrate(dataSource(url, "sa", ""), null);

            assertThat(single(s, "select cache from information_schema.sequences "
                    + "where sequence_name = 'DOMAIN_EVENT_ENTRY_SEQ'")).isEqualTo(1000L);
            assertThat(single(s, "select cache from information_schema.sequences "
                    + "where sequence_name = 'KT_SESSION_ROW_SEQ'")).isEqualTo(1000L);
            long first = single(s, "select next value for domain_event_entry_seq");
            assertThat(single(s, "select next value for domain_event_entry_seq")).isEqualTo(first + 1);
            assertThat(single(s, "select next value for kt_session_row_seq")).isEqualTo(1L);
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void storeMadeBeforeFlyway_isAdoptedAtV1_keepsEveryRow_andTheEngineAuditsItsDecisions(@TempDir Path work)
            throws Exception {
        Path store = Files.createDirectories(work.resolve("store"));
        String url = "jdbc:h2:file:" + store.resolve("keytrail").toAbsolutePath();
        Map<String, Integer> before;
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/previous/h2-quickstart-store.sql"));
            before = rowCounts(c);
        }
        assertThat(before.get("DOMAIN_EVENT_ENTRY")).isPositive();
        assertThat(before.get("KT_SESSION")).isPositive();

        SchemaMigrations.migrate(dataSource(url, "sa", ""), null);
        SchemaMigrations.migrate(dataSource(url, "sa", ""), null); // a later start: nothing to adopt, nothing to apply

        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            List<String> adopted = new ArrayList<>(List.of("1 BASELINE store created before schema migrations"));
            adopted.addAll(AFTER_V1);
            assertThat(history(c)).containsExactlyElementsOf(adopted);
            Map<String, Integer> after = new TreeMap<>(before);
            after.put("KEYTRAIL_DATA_KEY", 0); // V2's new table: every row kept, one empty table added
            assertThat(rowCounts(c)).isEqualTo(after);
            // V4: new session rows take positions after the adopted ones
            try (Statement s = c.createStatement()) {
                long last = single(s, "select max(position) from kt_session");
                assertThat(single(s, "select next value for kt_session_row_seq")).isEqualTo(last + 1);
            }
        }
        // The engine on the adopted store (Hibernate validates the schema): every decision it holds is
        // read back from the events and confirmed.
        Files.writeString(store.resolve("dev-session-key-encryption.key"), TEST_SEALING_KEY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(new String[] {"audit", "--store", store.toString(), "--all"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<JsonNode> lines = lines(out);
        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(summary.path("decisions").asInt()).isEqualTo(lines.size() - 1).isGreaterThanOrEqualTo(5);
        assertThat(summary.path("differs").asInt()).isZero();
    }

    @Test
    void schemaWithAHostsOwnTablesAndFlywayHistory_getsKeytrailsTablesBeside_eachWithItsOwnVersionOne()
            throws Exception {
        String url = "jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            // The host's own Flyway ran first (spring.flyway, its own V1), as it does in a host application.
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/host").load().migrate();
            s.execute("insert into host_note (id, text) values (1, 'remember the milk')");

            SchemaMigrations.migrate(dataSource(url, "sa", ""), null);
            SchemaMigrations.migrate(dataSource(url, "sa", ""), null); // a later start changes nothing

            List<String> ours = new ArrayList<>(List.of("0 BASELINE tables of the host application", "1 SQL baseline"));
            ours.addAll(AFTER_V1);
            assertThat(history(c)).containsExactlyElementsOf(ours);
            assertThat(history(c, "flyway_schema_history")).containsExactly("1 SQL host note");
            assertThat(SchemaSnapshot.of(c, "PUBLIC")).contains("table host_note", "table domain_event_entry",
                    "table kt_session", "table keytrail_data_key");
            try (ResultSet r = s.executeQuery("select text from host_note where id = 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("remember the milk");
            }
        }
    }

    @Test
    void storeWhoseKeytrailMigrationsAreInTheSharedHistory_isBaselinedAtTheLastOfThem_hostRowsLeftAlone()
            throws Exception {
        String url = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            // Before ADR 0024: Keytrail's scripts and a host's (numbered after Keytrail's) in one history.
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/keytrail/h2", "classpath:db/host-shared")
                    .load().migrate();
            s.execute("insert into keytrail_user_lock values ('@kept:h2.test')");
            List<String> shared = history(c, "flyway_schema_history");
            assertThat(shared).contains("10 SQL host audit");

            SchemaMigrations.migrate(dataSource(url, "sa", ""), null);

            String last = AFTER_V1.get(AFTER_V1.size() - 1).split(" ")[0];
            assertThat(history(c)).containsExactly(last + " BASELINE adopted from flyway_schema_history");
            assertThat(history(c, "flyway_schema_history")).isEqualTo(shared);
            try (ResultSet r = s.executeQuery("select count(*) from keytrail_user_lock")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseKeytrailHasNoMigrationsFor_isNamedInTheError() {
        DataSource unknown = new DriverManagerDataSource("jdbc:h2:mem:x-" + UUID.randomUUID() + ";MODE=MySQL", "sa", "") {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = super.getConnection();
                return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("getMetaData")
                                ? metaData(real.getMetaData()) : method.invoke(real, args));
            }
        };
        assertThatThrownBy(() -> SchemaMigrations.migrate(unknown, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Keytrail migrations for a mysql database");
    }

    private static java.sql.DatabaseMetaData metaData(java.sql.DatabaseMetaData real) {
        return (java.sql.DatabaseMetaData) java.lang.reflect.Proxy.newProxyInstance(SchemaMigrationsTest.class.getClassLoader(),
                new Class<?>[] {java.sql.DatabaseMetaData.class}, (proxy, method, args) ->
                        method.getName().equals("getDatabaseProductName") ? "MySQL" : method.invoke(real, args));
    }

    static List<String> history(Connection c) throws SQLException {
        return history(c, SchemaMigrations.HISTORY);
    }

    static List<String> history(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select \"version\", \"type\", \"description\" from \"" + table + "\""
                        + " where \"version\" is not null order by \"installed_rank\"")) {
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
            }
        }
        return rows;
    }

    private static Map<String, Integer> rowCounts(Connection c) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select table_name from"
                + " information_schema.tables where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        for (String table : tables) {
            if (!table.equals(SchemaMigrations.HISTORY)) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from \"" + table + "\"")) {
                    r.next();
                    counts.put(table, r.getInt(1));
                }
            }
        }
        return counts;
    }

    private static List<JsonNode> lines(ByteArrayOutputStream out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
