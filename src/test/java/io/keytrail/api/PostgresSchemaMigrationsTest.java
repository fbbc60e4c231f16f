package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.keytrail.api.process.ServiceProcess;
import io.keytrail.api.process.Workload;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * {@link SchemaMigrationsTest} on PostgreSQL (runs when {@code KEYTRAIL_TEST_POSTGRES_URL} is set): V1
 * is exactly the schema Keytrail made there before Flyway, and a schema made then, with rows in it, is
 * adopted at V1 by a starting service without losing a row. Each test works in schemas of its own,
 * dropped afterwards. The service starts inside the test JVM and is closed at the end of its test.
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

    /**
     * Two nodes started at the same moment on an empty schema (a deployment of several nodes on one new
     * PostgreSQL): each inspects the schema, then migrates it. Without a lock around both steps, the slower
     * node could see Keytrail's tables made by the faster one but no history yet, take the schema for a
     * store made before Flyway, and fail to baseline it. Each round starts both on a fresh schema at
     * once; every migration must succeed and the history must list each version once.
     */
    @Test
    void twoNodesMigratingOneEmptySchemaAtOnce_bothSucceed_andEachVersionRunsOnce() throws Exception {
        List<String> expected = new ArrayList<>(List.of("1 SQL baseline"));
        expected.addAll(SchemaMigrationsTest.AFTER_V1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String name = "ops_race_" + round + "_" + tag;
                try (Connection c = schema(name)) {
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<?>> migrations = new ArrayList<>();
                    for (int node = 0; node < 2; node++) {
                        DataSource dataSource = SchemaMigrationsTest.dataSource(url(name), user(), password());
                        migrations.add(nodes.submit(() -> {
                            together.await(30, TimeUnit.SECONDS);
                            SchemaMigrations.migrate(dataSource, null);
                            return null;
                        }));
                    }
                    for (Future<?> migration : migrations) {
                        migration.get(120, TimeUnit.SECONDS); // a failed migration is its ExecutionException
                    }
                    assertThat(SchemaMigrationsTest.history(c)).as("round %d", round).isEqualTo(expected);
                }
            }
        } finally {
            nodes.shutdownNow();
        }
    }

    /**
     * The service is booted inside the test JVM (as {@code java -jar keytrail.jar} boots it: {@link
     * KeytrailApplication} with the service's settings and the same arguments a child service JVM gets,
     * web server on a free port), then closed; a child JVM proved nothing more here and cost a JVM boot
     * (ADR 0027). Besides the history and the rows, the adopted store must work: a room key and its
     * sender's keys are decided on it, and the boot logged no error.
     */
    @Test
    void schemaMadeBeforeFlyway_isAdoptedByAStartingService_withEveryRowKept(@TempDir Path dir) throws Exception {
        String name = "ops_adopt_" + tag;
        try (Connection c = schema(name); Statement s = c.createStatement()) {
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/previous/postgresql-schema.sql"));
            s.execute("insert into keytrail_user_lock values ('@adopted:pg.test')");
            s.execute("insert into kt_identity (user_id, previously_verified, verified) values ('@adopted:pg.test', false, true)");

            TestAccount user = Workload.users("adopt-" + tag, 1).get(0);
            Workload.RoomKey key = Workload.roomKey(user, "!adopt:pg.test");
            List<ILoggingEvent> logged = Collections.synchronizedList(new ArrayList<>());
            try (ConfigurableApplicationContext service = startService(dir, logged,
                    "--spring.profiles.active=postgres", "--spring.datasource.url=" + url(name),
                    "--spring.jpa.properties.hibernate.default_schema=" + name,
                    "--spring.datasource.username=" + user(), "--spring.datasource.password=" + password())) {
                Keytrail keytrail = service.getBean(Keytrail.class);
                keytrail.process(Workload.keys(user));
                assertThat(keytrail.process(key.input()).toString()).as("a room key decided on the adopted store")
                        .contains("SenderUnverified");
            }
            assertThat(logged).as("the boot's own log (the collector saw it)").anySatisfy(event -> assertThat(
                    event.getFormattedMessage()).startsWith("Adopted a store created before schema migrations"));
            assertThat(problems(logged)).as("errors logged while the service started").isEmpty();

            List<String> adopted = new ArrayList<>(List.of("1 BASELINE store created before schema migrations"));
            adopted.addAll(SchemaMigrationsTest.AFTER_V1);
            assertThat(SchemaMigrationsTest.history(c)).containsExactlyElementsOf(adopted);
            try (ResultSet r = s.executeQuery("select verified from kt_identity where user_id = '@adopted:pg.test'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(1)).isTrue();
            }
            List<String> locks = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select user_id from keytrail_user_lock")) {
                while (r.next()) {
                    locks.add(r.getString(1));
                }
            }
            // The adopted row, and the lock row of the user whose keys the started service recorded.
            assertThat(locks).containsExactlyInAnyOrder("@adopted:pg.test", user.userId());
        }
    }

    /**
     * Boots the service in this JVM with the settings a child service JVM gets ({@code ServiceProcess}),
     * collecting into {@code logged} what the boot logged on the booting thread (other test classes may
     * log at the same time). The collector is attached once Spring Boot has set logging up (an
     * initialisation would drop it) and detached when the boot ends.
     */
    private static ConfigurableApplicationContext startService(Path dir, List<ILoggingEvent> logged,
                                                               String... settings) {
        Thread booting = Thread.currentThread();
        AppenderBase<ILoggingEvent> collector = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (Thread.currentThread() == booting) {
                    logged.add(event);
                }
            }
        };
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--keytrail.data-dir=" + dir.toAbsolutePath(),
                "--keytrail.session-key-encryption-key=" + ServiceProcess.SEALING_KEY,
                "--keytrail.api.token=" + ServiceProcess.TOKEN, "--keytrail.api.admin-token=" + ServiceProcess.ADMIN_TOKEN,
                "--spring.main.banner-mode=off", "--keytrail.homeserver.base-url="));
        arguments.addAll(List.of(settings));
        SpringApplication application = new SpringApplication(KeytrailApplication.class);
        application.setRegisterShutdownHook(false);
        application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
            collector.setContext(root.getLoggerContext());
            collector.start();
            root.addAppender(collector);
        });
        try {
            return application.run(arguments.toArray(String[]::new));
        } finally {
            root.detachAppender(collector);
            collector.stop();
        }
    }

    /** What a child service's log would show as a problem: an error, or an exception named or attached. */
    private static List<String> problems(List<ILoggingEvent> logged) {
        return logged.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                        || event.getThrowableProxy() != null || event.getFormattedMessage().contains("Exception"))
                .map(event -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
                .toList();
    }
}
