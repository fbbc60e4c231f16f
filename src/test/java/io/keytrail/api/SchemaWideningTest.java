package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * A store created before the id limits has 255-character id columns, which Hibernate's update never
 * widens: the adoption script db/adopt/h2.sql (run once before a pre-Flyway store is baselined, ADR 0015)
 * widens them, keeping data and NOT NULL, and is harmless where the tables are missing.
 */
class SchemaWideningTest {
    @Test
    void startupScript_widensOldIdColumns_andIgnoresMissingTables() throws Exception {
        String url = "jdbc:h2:mem:widen-" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/adopt/h2.sql")); // new store: no tables yet
            s.execute("create table domain_event_entry (global_index bigint primary key,"
                    + " aggregate_identifier varchar(255) not null, sequence_number bigint not null,"
                    + " constraint uk_old unique (aggregate_identifier, sequence_number))");
            s.execute("create table kt_device (id varchar(255) primary key, user_id varchar(255) not null)");
            s.execute("insert into domain_event_entry values (1, '!r:x|s', 0)");

            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/adopt/h2.sql"));

            assertThat(column(s, "DOMAIN_EVENT_ENTRY", "AGGREGATE_IDENTIFIER")).isEqualTo("512 NO");
            assertThat(column(s, "KT_DEVICE", "ID")).isEqualTo("512 NO");
            s.execute("insert into domain_event_entry values (2, '" + "!".repeat(300) + "|s', 0)");
            try (ResultSet r = s.executeQuery("select count(*) from domain_event_entry")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    private static String column(Statement s, String table, String column) throws Exception {
        try (ResultSet r = s.executeQuery("select character_maximum_length, is_nullable from information_schema.columns"
                + " where table_name = '" + table + "' and column_name = '" + column + "'")) {
            r.next();
            return r.getString(1) + " " + r.getString(2);
        }
    }
}
