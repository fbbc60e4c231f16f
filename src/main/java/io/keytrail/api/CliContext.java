package io.keytrail.api;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import io.keytrail.errors.RefusalException;


/**
 * Starts the engine for a command-line tool: no web server, no slow lane (no key-query saga processor,
 * no db-scheduler, no homeserver), logs on standard error, a given store that is checked first.
 */
public final class CliContext {
    /** The H2 database file of a store directory. */
    static final String DATABASE_FILE = "keytrail.mv.db";
    private static final String TRACE_FILE = "keytrail.trace.db";

    /**
     * Auto-configurations that a tool never uses: Actuator endpoints and health, JVM/system/Logback/pool
     * meters, observation, HTTP clients and message converters, caching, validation, task scheduling, SSL
     * bundles. Leaving them out of a tool's engine makes every command open about a quarter faster (a third
     * fewer beans; ADR 0030); the service and an embedding host keep them all. Names, not classes, so that a
     * tool still starts if a library drops one.
     */
    static final List<String> TOOL_EXCLUDED_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.jdbc.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.JvmMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.LogbackMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsEndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.SystemMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.data.RepositoryMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.jdbc.DataSourcePoolMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.startup.StartupTimeMetricsListenerAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.task.TaskExecutorMetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.web.client.HttpClientObservationsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.scheduling.ScheduledTasksObservabilityAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.ssl.SslHealthContributorAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.ssl.SslObservabilityAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.system.DiskSpaceHealthContributorAutoConfiguration",
            "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerActuatorAutoConfiguration",
            "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration",
            "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
            "org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration",
            "org.springframework.boot.autoconfigure.http.client.HttpClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
            "org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration",
            "org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.web.client.RestTemplateAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.transaction.jta.JtaAutoConfiguration",
            "org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration");

    private CliContext() {
    }

    /** A store (or a file) that cannot be used: exit status 2, the message says why, no stack trace. */
    public static final class UnusableStore extends RuntimeException {
        UnusableStore(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Checks that {@code dir} can hold a store before anything starts: a directory, readable and
     * writable, and its database file (when {@code mustExist}, or when present) a readable, writable
     * file that no other process has open.
     *
     * @throws UnusableStore saying why not
     */
    public static void check(Path dir, boolean mustExist) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UnusableStore(dir + " is not a directory, so it cannot be a store");
        }
        if (!Files.isDirectory(dir)) {
            throw new UnusableStore(dir + " is not a Keytrail store (no such directory); create one with replay --store");
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new UnusableStore("the store " + dir + " is not readable and writable by this user");
        }
        Path database = dir.resolve(DATABASE_FILE);
        if (!Files.exists(database)) {
            if (mustExist) {
                throw new UnusableStore(dir + " is not a Keytrail store (no " + DATABASE_FILE
                        + "); create one with replay --store");
            }
            return;
        }
        if (!Files.isRegularFile(database) || !Files.isReadable(database) || !Files.isWritable(database)) {
            throw new UnusableStore("the store's database " + database + " is not a readable and writable file");
        }
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw inUse(dir);
        } catch (IOException e) {
            throw new UnusableStore("cannot open the store's database " + database + ": " + e.getMessage());
        }
    }

    private static UnusableStore inUse(Path dir) {
        return new UnusableStore("the store " + dir + " is in use by another process (a running Keytrail service "
                + "or tool); stop it, or use another store");
    }

    /**
     * Starts the engine on {@code dir}, after one progress line on {@code progress}.
     *
     * @throws UnusableStore when the database cannot be opened (locked meanwhile, corrupt, not a database)
     */
    static ConfigurableApplicationContext start(Path dir, String command, PrintStream progress) {
        return start(dir, command, progress, Map.of());
    }

    /**
     * As {@link #start(Path, String, PrintStream)}, with {@code settings} replacing the tool defaults of
     * the same name (the {@code bench} command turns the slow lane on against its own loopback stub).
     */
    public static ConfigurableApplicationContext start(Path dir, String command, PrintStream progress,
                                                       Map<String, String> settings) {
        progress.println(command + ": starting the engine on store " + dir.toAbsolutePath() + " …");
        progress.flush();
        boolean traceExisted = Files.exists(dir.resolve(TRACE_FILE));
        try {
            return start(dir, settings);
        } catch (RuntimeException e) {
            String keys = SealingKeyFailureAnalyzer.problem(e);
            if (keys != null) {
                throw new UnusableStore(keys);
            }
            String problem = databaseProblem(e);
            if (problem == null) {
                throw e;
            }
            if (!traceExisted) {
                try {
                    // H2 notes the failed open there; it would only puzzle the next reader of the directory.
                    Files.deleteIfExists(dir.resolve(TRACE_FILE));
                } catch (IOException ignored) {
                    // the message below is what matters
                }
            }
            throw new UnusableStore("cannot open the store " + dir + ": " + problem);
        }
    }

    /**
     * The H2 message when the startup failed because the database could not be opened, else {@code null}:
     * H2 reports a locked or unreachable file as {@code SQLNonTransientConnectionException} (SQL state
     * class 08 or 90); a file that is not a database, truncated or corrupt fails as any H2
     * {@code SQLException} while the first connection is made (Spring's
     * {@code CannotGetJdbcConnectionException} above it). Both are a store that cannot be used (exit 2).
     */
    static String databaseProblem(Throwable e) {
        boolean connecting = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            connecting |= t instanceof CannotGetJdbcConnectionException;
            if (t instanceof SQLException sql && t.getClass().getName().startsWith("org.h2.")
                    && (connecting || t instanceof java.sql.SQLNonTransientConnectionException)) {
                String message = String.valueOf(sql.getMessage());
                int end = message.indexOf('\n');
                return end < 0 ? message : message.substring(0, end);
            }
        }
        return null;
    }

    /** What a tool does with the started engine; writes its result to {@code out}, returns the exit status. */
    @FunctionalInterface
    interface EngineWork {
        int run(ConfigurableApplicationContext context, PrintWriter out) throws Exception;
    }

    /**
     * Checks {@code dir} (it must hold a store), starts the engine on it and runs {@code work} with standard
     * output reserved for the result (anything else that prints there, such as a library, goes to standard
     * error). A store that cannot be used is exit status 2 with one line; a failure of the engine is 1.
     */
    static int onStore(String command, Path dir, KeytrailCli.Io io, EngineWork work) {
        PrintStream stdout = io.out();
        PrintStream stderr = io.err();
        PrintStream systemOut = System.out;
        try {
            check(dir, true);
            System.setOut(stderr);
            try (ConfigurableApplicationContext context = start(dir, command, stderr)) {
                PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
                try {
                    return work.run(context, out);
                } finally {
                    out.flush();
                }
            }
        } catch (UnusableStore e) {
            stderr.println(command + ": " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RefusalException e) {
            stderr.println(command + ": " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (Exception e) {
            stderr.println(command + ": the engine failed (store " + dir.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return KeytrailCli.ENGINE_FAILED;
        } finally {
            System.setOut(systemOut);
        }
    }

    /**
     * The settings go in as command-line arguments, the highest precedence, so that neither
     * keytrail-service.yml nor the environment (a profile, database credentials, a homeserver) can point a
     * tool at another store or make it call out: keys come only from the input.
     */
    static ConfigurableApplicationContext start(Path dir) {
        return start(dir, Map.of());
    }

    /** Tests name the sealing keys here as {@code --name=value} (the service and the tools read them from the environment). */
    static ConfigurableApplicationContext start(Path dir, String... extraSettings) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String setting : extraSettings) {
            String plain = setting.startsWith("--") ? setting.substring(2) : setting;
            int eq = plain.indexOf('=');
            overrides.put(eq < 0 ? plain : plain.substring(0, eq), eq < 0 ? "" : plain.substring(eq + 1));
        }
        return start(dir, overrides);
    }

    private static ConfigurableApplicationContext start(Path dir, Map<String, String> overrides) {
        SpringApplication app = new SpringApplication(KeytrailApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setRegisterShutdownHook(false);
        Path home = dir.toAbsolutePath();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.profiles.active", "replay");
        // LOB_TIMEOUT: H2 keeps every BLOB a session has read (event payloads) reachable for this long
        // (default 5 minutes), so a tool reading the whole store would hold all of it in memory;
        // Hibernate copies the bytes at once, so 10 s is plenty.
        settings.put("spring.datasource.url", "jdbc:h2:file:" + home.resolve("keytrail")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOB_TIMEOUT=10000");
        settings.put("spring.datasource.username", "sa");
        settings.put("spring.datasource.password", "");
        settings.put("keytrail.data-dir", home.toString());
        settings.put("keytrail.homeserver.base-url", "");
        // No slow lane in a tool: no key-query saga processor and no persistent deadline scheduler
        // (without a homeserver the saga would end at once anyway; a later service walks the
        // history from the tail, ADR 0005).
        settings.put("keytrail.lanes.saga-processor.auto-start", "false");
        settings.put("db-scheduler.enabled", "false");
        // Nobody scrapes a tool: no Prometheus registry and no Axon message monitors (they cost
        // seconds of a tool's start, ADR 0015). Keytrail's counters go to a simple registry.
        settings.put("management.prometheus.metrics.export.enabled", "false");
        settings.put("axon.metrics.auto-configuration.enabled", "false");
        settings.put("spring.autoconfigure.exclude", String.join(",", TOOL_EXCLUDED_AUTO_CONFIGURATIONS));
        settings.put("logging.config", "classpath:logback-replay.xml");
        settings.put("spring.main.log-startup-info", "false");
        // One value per name: Spring joins repeated command-line settings with commas instead of overriding.
        settings.putAll(overrides);
        return app.run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
    }
}
