package io.keytrail.api;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.EventListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code events [--store DIR | --db-url URL] [--aggregate ID] [--type T] [--since ISO-TIME] [--follow]}: the
 * stored events as JSON lines ({@link EventListing}), straight from the database with plain JDBC: no engine
 * starts, so it is quick, and on PostgreSQL it can follow a running service's store.
 */
@Command(name = "events", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar events [--store DIR | --db-url URL] [--aggregate ID] [--type T] "
                + "[--since ISO-TIME] [--follow]",
        description = {"Prints the stored events as JSON lines (global index, time, aggregate, sequence, type, "
                + "revision, payload); sealed session keys show only as sealed:<keyId>.",
                "See README.md, section \"Auditing a store\", and docs/event-store.md."},
        footerHeading = "%n", footer = {"Exit status: 0 done (--follow: until interrupted); 1 the engine failed; "
                + "2 a usage error, or a store that cannot be used."})
final class EventsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:KEYTRAIL_DATA_DIR:-data}",
            description = "an H2 store (default: $KEYTRAIL_DATA_DIR, else ./data)")
    Path store;

    @Option(names = "--db-url", paramLabel = "URL", description = "a JDBC URL instead of --store (PostgreSQL: user "
            + "and password from KEYTRAIL_DB_USER and KEYTRAIL_DB_PASSWORD)")
    String dbUrl;

    @Option(names = "--aggregate", paramLabel = "AGGREGATE",
            description = "only this aggregate: a user id, or a session's '<room id>|<session id>'")
    String aggregate;

    @Option(names = "--type", paramLabel = "TYPE", description = "only this event type, e.g. SenderDataChanged")
    String type;

    @Option(names = "--since", paramLabel = "ISO-TIME", description = "only events stored at or after this instant")
    String since;

    @Option(names = "--follow", description = "keep printing new events as they are stored")
    boolean follow;

    @Option(names = "--poll", paramLabel = "MS", defaultValue = "1000",
            description = "with --follow: milliseconds between looks for new events (default 1000)")
    long pollMillis;

    private final KeytrailCli.Io io;

    EventsCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), "--since needs an ISO-8601 instant "
                        + "(2026-11-30T17:00:00Z), not " + since);
            }
        }
        if (pollMillis < 1 || pollMillis > 60_000) {
            throw new ParameterException(spec.commandLine(), "--poll needs a number of milliseconds from 1 to 60000");
        }
        PrintStream err = io.err();
        try {
            if (dbUrl == null) {
                CliContext.check(store, true);
            }
            try (Connection connection = connect()) {
                connection.setReadOnly(true);
                ObjectMapper mapper = new ObjectMapper();
                PrintWriter out = new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8));
                Consumer<ObjectNode> print = event -> {
                    out.println(line(mapper, event));
                    out.flush();
                };
                EventListing listing = new EventListing(connection, mapper);
                EventListing.Filter filter = new EventListing.Filter(aggregate, type, from);
                if (follow) {
                    err.println("events: following; interrupt (Ctrl-C) to stop");
                    listing.follow(filter, print, Duration.ofMillis(pollMillis), () -> false);
                } else {
                    listing.list(filter, -1, print);
                }
                out.flush();
                return KeytrailCli.OK;
            }
        } catch (CliContext.UnusableStore e) {
            err.println("events: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (SQLException e) {
            String problem = CliContext.databaseProblem(e);
            err.println("events: cannot read the store: " + (problem != null ? problem : e.getMessage()));
            return problem != null ? KeytrailCli.USAGE : KeytrailCli.ENGINE_FAILED;
        }
    }

    private Connection connect() throws SQLException {
        if (dbUrl != null) {
            return DriverManager.getConnection(dbUrl, System.getenv().getOrDefault("KEYTRAIL_DB_USER", "keytrail"),
                    System.getenv().getOrDefault("KEYTRAIL_DB_PASSWORD", ""));
        }
        // IFEXISTS: never create a database here; the same settings as the engine otherwise.
        return DriverManager.getConnection("jdbc:h2:file:" + store.toAbsolutePath().resolve("keytrail")
                + ";IFEXISTS=TRUE;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    private static String line(ObjectMapper mapper, ObjectNode event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
