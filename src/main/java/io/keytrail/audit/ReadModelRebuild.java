package io.keytrail.audit;

import java.time.Duration;
import java.util.function.Consumer;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.DirectoryProjection;
import io.keytrail.directory.WriteUnits;

import jakarta.persistence.EntityManager;

/**
 * Resets the read models (the directory: sessions, devices, identities) and replays every event of the
 * store into them, in global order, through the same handlers that keep them up to date (ADR 0013). The
 * event store is the truth; a read model is only a cache of its fold, so a rebuilt model equals the live
 * one, and a model that drifted (a bug, a hand edit, a new column) is repaired.
 *
 * <p>Safe against concurrent writes: the rebuild is one transaction that runs
 * {@link WriteUnits#exclusively exclusively} on this node (inputs in flight finish first, new ones wait
 * until the rebuild committed) and, on PostgreSQL, locks the projection's tables in {@code EXCLUSIVE}
 * mode, so other nodes' writers wait as well while readers go on reading the old rows. Readers see the old
 * model or the new one, never a half-built one. Not part of the model: the local account, the replay
 * protection ledger and the retry deadlines, which are not derived from events.
 */
@Component
public class ReadModelRebuild {
    /** Progress is reported, and the persistence context emptied, every this many events. */
    static final int BATCH = 1_000;

    private final EventStore events;
    private final DirectoryProjection directory;
    private final WriteUnits units;
    private final JdbcTemplate jdbc;
    private final EntityManager entities;

    public ReadModelRebuild(EventStore events, DirectoryProjection directory, WriteUnits units, JdbcTemplate jdbc,
                            EntityManager entities) {
        this.events = events;
        this.directory = directory;
        this.units = units;
        this.jdbc = jdbc;
        this.entities = entities;
    }

    /** How far a rebuild is: {@code events} replayed of about {@code total} stored. */
    public record Progress(long events, long total) {
    }

    /** What a rebuild did: events replayed and the rows the model holds afterwards. */
    public record Result(long events, long sessions, long devices, long identities, Duration took) {
    }

    /**
     * The summary both interfaces print: {@code {"rebuilt":{"events","sessions","devices","identities",
     * "millis"}}}.
     */
    public static ObjectNode summary(ObjectMapper mapper, Result result) {
        ObjectNode out = mapper.createObjectNode();
        out.putObject("rebuilt").put("events", result.events()).put("sessions", result.sessions())
                .put("devices", result.devices()).put("identities", result.identities())
                .put("millis", result.took().toMillis());
        return out;
    }

    /** Rebuilds the read models; {@code progress} hears every {@value #BATCH} events and at the end. */
    public Result rebuild(Consumer<Progress> progress) {
        return units.exclusively(() -> {
            long started = System.nanoTime();
            lockTables();
            long total = count();
            directory.clear();
            AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(directory);
            long replayed = 0;
            try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
                while (stream.hasNextAvailable()) {
                    TrackedEventMessage<?> message = stream.nextAvailable();
                    if (handlers.canHandle(message)) {
                        handlers.handle(message);
                    }
                    if (++replayed % BATCH == 0) {
                        // Bounded memory: the rows written so far leave the persistence context.
                        entities.flush();
                        entities.clear();
                        progress.accept(new Progress(replayed, Math.max(total, replayed)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the event store", e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("an event could not be replayed into the read models: " + e, e);
            }
            entities.flush();
            entities.clear();
            progress.accept(new Progress(replayed, replayed));
            long[] rows = directory.counts();
            return new Result(replayed, rows[0], rows[1], rows[2], Duration.ofNanos(System.nanoTime() - started));
        });
    }

    /** PostgreSQL: other nodes' writers wait for the rebuild (readers do not). H2 serves one process only. */
    private void lockTables() {
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            jdbc.execute("lock table " + String.join(", ", DirectoryProjection.TABLES) + " in exclusive mode");
        }
    }

    private long count() {
        Long n = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        return n == null ? 0 : n;
    }
}
