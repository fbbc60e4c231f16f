package io.keytrail.lanes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.keytrail.session.KeysWanted;
import io.keytrail.session.SessionCommands.RecordSenderKeysWanted;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.SenderData;

/**
 * Keeps the sessions of stores written before {@link SenderKeysWanted} existed (ADR 0019). The keys-query
 * saga used to start on every {@code SessionReceived} and {@code SessionImported}; it now starts only on
 * {@code SenderKeysWanted}. A receipt or import stored by an older version that its saga processor had
 * not yet read when that version stopped (or every one, on a store whose processor never ran: ADR 0005's
 * tail start) would be skipped by the new saga, and its session would wait for keys nobody asks for.
 *
 * <p>So, once per start, before the saga's processor moves ({@link #afterSingletonsInstantiated}, ahead
 * of Axon's lifecycle), this reads how far the processor got (the lowest position of its tokens, gaps
 * included; the whole store without a token). After the engine started, a background thread looks at
 * every session created from that position on that holds no {@code SenderKeysWanted}, folds its events
 * (through the upcasters, as any reader), and where the receipt's or import's decision wanted keys
 * ({@link KeysWanted}, the rule every writer applies) asks the session to record the want now
 * ({@link RecordSenderKeysWanted}): the saga then starts as it would have. A session written by this
 * version that wanted keys holds its {@code SenderKeysWanted} already, so the look finds nothing to do
 * for it; in steady state the token is near the head and the look covers a few rows.
 *
 * <p>Only when the slow lane is on and the saga's processor runs: without a homeserver the saga would
 * end at once anyway (as it did before), and the command-line tools leave the processor stopped.
 */
@Component
public class KeysWantedCatchUp implements SmartInitializingSingleton, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(KeysWantedCatchUp.class);
    /** Payload types of the events that create a session (stored as the class name). */
    static final List<String> CREATING = List.of(SessionReceived.class.getName(), SessionImported.class.getName());
    private static final int PAGE = 500;

    private final JdbcTemplate jdbc;
    private final Serializer tokenSerializer;
    private final EventStore eventStore;
    private final CommandGateway commands;
    private final KeyQueries lane;
    private final boolean processorRuns;
    private volatile Long from;
    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile Result last;

    public KeysWantedCatchUp(JdbcTemplate jdbc, @Qualifier("serializer") Serializer tokenSerializer,
                             EventStore eventStore, CommandGateway commands, KeyQueries lane,
                             @Value("${keytrail.lanes.saga-processor.auto-start:true}") boolean processorRuns) {
        this.jdbc = jdbc;
        this.tokenSerializer = tokenSerializer;
        this.eventStore = eventStore;
        this.commands = commands;
        this.lane = lane;
        this.processorRuns = processorRuns;
    }

    /** What a catch-up did: sessions looked at, and how many of them now record that they want keys. */
    public record Result(long from, int sessionsLooked, int wantsRecorded) {
    }

    /** Before any processor starts: the first global index the saga's processor has not read. */
    @Override
    public void afterSingletonsInstantiated() {
        if (!lane.enabled() || !processorRuns) {
            return;
        }
        from = firstUnread();
    }

    /**
     * The lowest global index that some segment of the saga's processor has not read yet: 0 without a
     * token (the processor will walk the whole store), else the lowest gap or the index after the token's.
     */
    long firstUnread() {
        List<Optional<TrackingToken>> tokens = jdbc.query("select token, token_type from token_entry "
                + "where processor_name = ?", (row, i) -> {
                    byte[] bytes = row.getBytes(1);
                    String type = row.getString(2);
                    return bytes == null || type == null ? Optional.<TrackingToken>empty()
                            : Optional.ofNullable(tokenSerializer.<byte[], TrackingToken>deserialize(
                                    new SimpleSerializedObject<>(bytes, byte[].class, type, null)));
                }, LaneConfiguration.SAGA_PROCESSOR);
        if (tokens.isEmpty()) {
            return 0;
        }
        long lowest = Long.MAX_VALUE;
        for (Optional<TrackingToken> token : tokens) {
            lowest = Math.min(lowest, firstUnread(token.map(WrappedToken::unwrapLowerBound).orElse(null)));
        }
        return lowest;
    }

    private static long firstUnread(TrackingToken token) {
        if (token == null) {
            return 0;
        }
        if (token instanceof GapAwareTrackingToken gapAware && !gapAware.getGaps().isEmpty()) {
            return gapAware.getGaps().first();
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() + 1 : 0;
    }

    /**
     * Looks at every session created at or after {@code from} that records no {@code SenderKeysWanted}, and
     * records the want where its creating decision had one. Safe to repeat: a session that records it is
     * not looked at again, and one whose sender data moved on since is left alone by its aggregate.
     */
    public Result catchUp(long from) {
        int looked = 0;
        int recorded = 0;
        long next = from;
        while (!stopped) {
            List<Object[]> page = jdbc.query("select e.global_index, e.aggregate_identifier from domain_event_entry e "
                    + "where e.global_index >= ? and e.payload_type in (?, ?) and not exists (select 1 from "
                    + "domain_event_entry w where w.aggregate_identifier = e.aggregate_identifier "
                    + "and w.payload_type = ?) order by e.global_index limit ?",
                    (row, i) -> new Object[] {row.getLong(1), row.getString(2)},
                    next, CREATING.get(0), CREATING.get(1), SenderKeysWanted.class.getName(), PAGE);
            for (Object[] row : page) {
                if (stopped) {
                    break;
                }
                next = (Long) row[0] + 1;
                looked++;
                try {
                    if (recordIfWanted((String) row[1])) {
                        recorded++;
                    }
                } catch (RuntimeException e) {
                    // One session that cannot be read or changed must not keep the others waiting.
                    log.warn("slow lane: catch-up skipped session {}: {}", row[1], e.toString());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return new Result(from, looked, recorded);
    }

    /** Folds the session's events; if its last arrival decision wanted keys, asks the session to record it. */
    private boolean recordIfWanted(String aggregateId) {
        Object arrival = null;
        var events = eventStore.readEvents(aggregateId);
        while (events.hasNext()) {
            Object payload = events.next().getPayload();
            if (payload instanceof SessionReceived || payload instanceof SessionImported
                    || payload instanceof SessionReceivedOverImport) {
                arrival = payload;
            }
        }
        Optional<SenderKeysWanted> wanted = KeysWanted.after(arrival);
        if (wanted.isEmpty()) {
            return false;
        }
        Boolean done = commands.sendAndWait(new RecordSenderKeysWanted(aggregateId, wanted.get(), decided(arrival)));
        return Boolean.TRUE.equals(done);
    }

    private static SenderData decided(Object arrival) {
        if (arrival instanceof SessionReceived e) {
            return e.senderData();
        } else if (arrival instanceof SessionReceivedOverImport e) {
            return e.senderData();
        }
        return ((SessionImported) arrival).senderData();
    }

    @Override
    public void start() {
        running = true;
        Long start = from;
        if (start == null) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                Result result = catchUp(start);
                last = result;
                if (result.wantsRecorded() > 0) {
                    log.info("slow lane: {} session(s) stored before SenderKeysWanted existed now wait for keys "
                            + "(looked at {} from global index {})", result.wantsRecorded(), result.sessionsLooked(),
                            result.from());
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("slow lane: the catch-up of sessions stored before SenderKeysWanted failed: {}",
                            e.toString());
                }
            }
        }, "keytrail-keys-wanted-catch-up");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        stopped = true;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After Axon's handlers and processors started (their phases are lower): commands find their handler. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    /** The last catch-up's result, or empty while it runs or when none ran. */
    public Optional<Result> lastResult() {
        return Optional.ofNullable(last);
    }
}
