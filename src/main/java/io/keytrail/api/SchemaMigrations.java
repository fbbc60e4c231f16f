package io.keytrail.api;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The schema is Flyway's (ADR 0015): {@code db/migration/{vendor}/V<n>__*.sql}, Hibernate only
 * validates. A store created before Flyway (Keytrail's tables, no {@code flyway_schema_history}) is
 * adopted: brought to V1's shape by {@code db/adopt/{vendor}.sql} (the script every start ran before),
 * then baselined at V1, so nothing in it is recreated or lost. Any other non-empty schema without a
 * history is left to Flyway, which refuses it rather than guessing.
 */
@Configuration
class SchemaMigrations {
    /** The table whose presence marks a store of Keytrail's (Axon's event store). */
    static final String STORE_MARKER = "domain_event_entry";
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    @Bean
    FlywayMigrationStrategy keytrailMigrationStrategy() {
        return SchemaMigrations::migrate;
    }

    /** Adopts a pre-Flyway store if it is one, then applies every pending migration. */
    static void migrate(Flyway flyway) {
        if (adoptIfPreFlyway(flyway)) {
            log.info("Adopted a store created before schema migrations: baselined at version {}",
                    flyway.getConfiguration().getBaselineVersion());
        }
        flyway.migrate();
    }

    /** @return whether the store was one created before Flyway, and is now baselined */
    static boolean adoptIfPreFlyway(Flyway flyway) {
        DataSource dataSource = flyway.getConfiguration().getDataSource();
        try (Connection connection = dataSource.getConnection()) {
            String schema = schemaOf(flyway, connection);
            if (hasTable(connection, schema, flyway.getConfiguration().getTable())
                    || !hasTable(connection, schema, STORE_MARKER)) {
                return false;
            }
            ScriptUtils.executeSqlScript(connection, new ClassPathResource("db/adopt/" + vendor(connection) + ".sql"));
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the store's schema before migrating it", e);
        }
        flyway.baseline();
        return true;
    }

    private static String schemaOf(Flyway flyway, Connection connection) throws SQLException {
        String configured = flyway.getConfiguration().getDefaultSchema();
        return configured != null ? configured : connection.getSchema();
    }

    private static String vendor(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return "h2";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        throw new IllegalStateException("no Keytrail migrations for a " + product + " database (H2 and PostgreSQL only)");
    }

    /** Hibernate's tables are folded to the database's case (upper in H2); Flyway's history keeps its own. */
    private static boolean hasTable(Connection connection, String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), schema, name, null)) {
                while (tables.next()) {
                    if (tables.getString("TABLE_TYPE").toUpperCase(Locale.ROOT).contains("TABLE")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
