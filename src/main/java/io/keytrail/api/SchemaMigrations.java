package io.keytrail.api;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Keytrail's schema is migrated by a Flyway of its own (ADRs 0015, 0024): its scripts in
 * {@code db/keytrail/{h2,postgresql}}, its history in {@value #HISTORY}, applied before JPA or JDBC touch
 * the store. A host application's own Flyway ({@code spring.flyway.*}, {@code db/migration}, {@code
 * flyway_schema_history}) is the host's: it runs first, and neither sees the other's versions, so both
 * may have a V1.
 *
 * <p>Where the store comes from decides how it starts, the first time this history is missing:
 * <ol>
 * <li>a store whose Keytrail migrations were recorded in the shared {@value #SHARED_HISTORY} (Keytrail
 * before ADR 0024): baselined at the highest Keytrail version recorded there, nothing re-run;</li>
 * <li>a store created before Flyway (Axon's {@value #STORE_MARKER} but no history): brought to V1's
 * shape by {@code db/adopt/{vendor}.sql} (the script every start ran before), baselined at V1;</li>
 * <li>a schema holding only a host's tables: baselined at 0, so that every migration runs beside them;</li>
 * <li>an empty schema: every migration runs.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class SchemaMigrations {
    /** Keytrail's own migration history. */
    public static final String HISTORY = "keytrail_schema_history";
    /** Flyway's default history, the host's; Keytrail recorded its migrations there before ADR 0024. */
    static final String SHARED_HISTORY = "flyway_schema_history";
    /** The table whose presence marks a store of Keytrail's (Axon's event store). */
    static final String STORE_MARKER = "domain_event_entry";
    static final String ADOPTED_BEFORE_FLYWAY = "store created before schema migrations";
    static final String ADOPTED_FROM_SHARED = "adopted from " + SHARED_HISTORY;
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /** The first key of the migration's PostgreSQL advisory lock (the second is the schema's hash): "KTSM". */
    private static final int ADVISORY_LOCK_CLASS = 0x4b54534d;

    /** The store is migrated once this bean exists; everything that reads the store waits for it. */
    public static final class Migrated {
        private Migrated() {
        }
    }

    @Bean
    Migrated keytrailSchemaMigrated(DataSource dataSource) {
        migrate(dataSource, null);
        return new Migrated();
    }

    /**
     * Makes the JPA entity manager, JDBC templates and every other bean that depends on database
     * initialization wait for {@link Migrated}, after the host's own Flyway (whose detector is ordered 1).
     * Registered in {@code META-INF/spring.factories}.
     */
    public static final class Detector extends AbstractBeansOfTypeDatabaseInitializerDetector {
        @Override
        protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
            return Set.of(Migrated.class);
        }

        @Override
        public int getOrder() {
            return 2;
        }
    }

    /**
     * Applies every pending migration up to {@code target} (all when null), adopting the store first if
     * it has no history of its own yet.
     */
    static void migrate(DataSource dataSource, String target) {
        Connection opened;
        try {
            opened = dataSource.getConnection();
        } catch (SQLException e) {
            // As Spring's own data access says it: a store that cannot be opened (locked, corrupt, not a
            // database), which the tools answer with one line and exit status 2.
            throw new CannotGetJdbcConnectionException("cannot open the store to migrate its schema", e);
        }
        try (Connection connection = opened) {
            String vendor = vendor(connection);
            boolean locked = lock(connection, vendor);
            try {
                migrate(dataSource, connection, vendor, target);
            } finally {
                if (locked) {
                    unlock(connection);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the store's schema before migrating it", e);
        }
    }

    /**
     * Several nodes may start at once on one PostgreSQL schema. Flyway locks each of its own steps, but
     * not our look at the schema before them: a node could see the tables that another node's V1 had
     * just made, without a history yet, take the schema for a store made before Flyway (or for a host's),
     * and fail to baseline it. So the look and the migration happen under one session-level advisory lock
     * per schema, on a connection of its own that is held until the end (a node needs one more pooled
     * connection while it starts). H2 needs none: one process at a time opens a file store.
     */
    private static boolean lock(Connection connection, String vendor) throws SQLException {
        if (!"postgresql".equals(vendor)) {
            return false;
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "select pg_advisory_lock(?, hashtext(current_schema()))")) {
            lock.setInt(1, ADVISORY_LOCK_CLASS);
            lock.execute();
        }
        return true;
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement(
                "select pg_advisory_unlock(?, hashtext(current_schema()))")) {
            unlock.setInt(1, ADVISORY_LOCK_CLASS);
            unlock.execute();
        }
    }

    private static void migrate(DataSource dataSource, Connection connection, String vendor, String target)
            throws SQLException {
        boolean hasHistory = hasTable(connection, HISTORY);
        boolean hasSharedHistory = hasTable(connection, SHARED_HISTORY);
        boolean isStore = hasTable(connection, STORE_MARKER);
        if (!hasHistory) {
            Optional<MigrationVersion> recorded = hasSharedHistory ? versionInSharedHistory(dataSource, vendor)
                    : Optional.empty();
            if (recorded.isPresent()) {
                configure(dataSource, vendor).baselineVersion(recorded.get()).baselineDescription(ADOPTED_FROM_SHARED)
                        .load().baseline();
                log.info("Keytrail's migrations up to version {} were recorded in {}: now in {}", recorded.get(),
                        SHARED_HISTORY, HISTORY);
            } else if (isStore) {
                adoptPreFlywayStore(dataSource, vendor);
                configure(dataSource, vendor).baselineVersion("1").baselineDescription(ADOPTED_BEFORE_FLYWAY)
                        .load().baseline();
                log.info("Adopted a store created before schema migrations: baselined at version 1");
            }
        }
        // A schema with only a host's tables in it: baseline at 0, so that V1 and later run beside them.
        FluentConfiguration configuration = configure(dataSource, vendor).baselineOnMigrate(true).baselineVersion("0")
                .baselineDescription("tables of the host application");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static FluentConfiguration configure(DataSource dataSource, String vendor) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader()).dataSource(dataSource)
                .locations("classpath:db/keytrail/" + vendor).table(HISTORY);
    }

    /**
     * The highest of Keytrail's migrations that the shared history records as applied (or as the
     * baseline of an adopted store), recognised by version, script and checksum: a host's own rows
     * there, even a V1 of its own, are not Keytrail's scripts and are left out.
     */
    private static Optional<MigrationVersion> versionInSharedHistory(DataSource dataSource, String vendor) {
        Map<MigrationVersion, MigrationInfo> keytrails = new HashMap<>();
        for (MigrationInfo resolved : configure(dataSource, vendor).load().info().all()) {
            keytrails.put(resolved.getVersion(), resolved);
        }
        return Arrays.stream(configure(dataSource, vendor).table(SHARED_HISTORY).load().info().applied())
                .filter(applied -> applied.getVersion() != null && (isAdoptionBaseline(applied)
                        || isSameScript(applied, keytrails.get(applied.getVersion()))))
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo);
    }

    /** The baseline row of a pre-Flyway store adopted before ADR 0024 (it has no script to compare). */
    private static boolean isAdoptionBaseline(MigrationInfo applied) {
        return applied.getState() == MigrationState.BASELINE && ADOPTED_BEFORE_FLYWAY.equals(applied.getDescription())
                && MigrationVersion.fromVersion("1").equals(applied.getVersion());
    }

    private static boolean isSameScript(MigrationInfo applied, MigrationInfo keytrails) {
        return keytrails != null && applied.getState() == MigrationState.SUCCESS
                && keytrails.getScript().equals(applied.getScript())
                && Objects.equals(keytrails.getChecksum(), applied.getChecksum());
    }

    private static void adoptPreFlywayStore(DataSource dataSource, String vendor) {
        try (Connection connection = dataSource.getConnection()) {
            ScriptUtils.executeSqlScript(connection, new ClassPathResource("db/adopt/" + vendor + ".sql"));
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot adopt the store created before schema migrations", e);
        }
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
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
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
