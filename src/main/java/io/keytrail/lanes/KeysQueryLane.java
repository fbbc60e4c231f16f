package io.keytrail.lanes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.lang.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.errors.RefusalException;

/**
 * The slow lane's outgoing side: collects users whose queries are due, sends one {@code /keys/query}
 * per batch without blocking anyone, and feeds the answer in through the same path as any other keys
 * ({@link KeysQueryRecorder}), so re-decisions happen exactly as for a recorded response. A user the answer
 * does not cover gets a {@code KeysQueryFailed} event, which the saga turns into a retry.
 */
@Component
public class KeysQueryLane implements KeyQueries, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(KeysQueryLane.class);
    private static final String[] SECTIONS = {"device_keys", "master_keys", "self_signing_keys", "user_signing_keys"};
    /** The users (and attempts) of the answer being recorded on this thread: tells re-decisions' lane apart. */
    private static final ThreadLocal<Map<String, Integer>> RECORDING = new ThreadLocal<>();

    private final LaneProperties properties;
    private final HomeserverClient client;
    private final KeysQueryRecorder keys;
    private final CommandGateway commands;
    private final Clock clock;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Map<String, Integer> due = new LinkedHashMap<>();
    private boolean flushScheduled;
    private volatile boolean closed;
    private volatile LaneObserver observer = LaneObserver.NONE;

    /**
     * @param client the homeserver's {@code /keys/query}, or {@code null}: no homeserver, the slow lane is
     *               off ({@link LaneConfiguration} makes one from {@code keytrail.homeserver.*}; a host may
     *               declare its own)
     */
    public KeysQueryLane(LaneProperties properties, @Nullable HomeserverClient client, KeysQueryRecorder keys,
                         CommandGateway commands, Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.commands = commands;
        this.clock = clock;
        this.backoff = new Backoff(properties.retry(), () -> ThreadLocalRandom.current().nextDouble());
        this.client = client;
        if (this.client != null) {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "keytrail-keys-query");
                t.setDaemon(true);
                return t;
            });
            log.info("Slow lane on: unknown devices are queried at {}", client.endpoint());
        } else {
            this.timer = null;
            log.warn("No homeserver configured (keytrail.homeserver.base-url): the slow lane and background "
                    + "retry are off; device keys come only from inputs (keys_query_response).");
        }
    }

    /** Operations' observer of queries and retries (metrics, ADR 0015); none by default. */
    @Autowired(required = false)
    public void setObserver(LaneObserver observer) {
        this.observer = observer;
    }

    /**
     * The attempt of {@code userId}'s query whose answer this thread is recording right now, if it is
     * recording one: 1 for the slow lane, more for the background retry; empty for keys that came in
     * as an input. Events published while the answer is recorded are handled on the same thread.
     */
    public static Optional<Integer> attemptBeingRecorded(String userId) {
        Map<String, Integer> batch = RECORDING.get();
        return batch == null ? Optional.empty() : Optional.ofNullable(batch.get(userId));
    }

    @Override
    public boolean enabled() {
        return client != null;
    }

    @Override
    public void retryScheduled(String userId, int attempt) {
        try {
            observer.retryScheduled(userId, attempt);
        } catch (RuntimeException e) {
            log.debug("the lane observer failed", e);
        }
    }

    @Override
    public Backoff backoff() {
        return backoff;
    }

    /**
     * How long an in-flight query may stay unanswered before it counts as failed (e.g. after a crash):
     * the batch window plus the client's own timeouts, so that normally the client's verdict comes first.
     */
    @Override
    public Duration responseTimeout() {
        LaneProperties.Homeserver hs = properties.homeserver();
        return properties.batch().window().plus(hs.connectTimeout()).plus(hs.readTimeout());
    }

    /** Asks for {@code userId}'s keys soon, in a batch with other users due now. Never blocks. */
    @Override
    public synchronized void request(String userId, int attempt) {
        if (!enabled() || closed) {
            return;
        }
        due.put(userId, attempt);
        try {
            if (due.size() >= properties.batch().maxUsers()) {
                timer.execute(this::flush);
            } else if (!flushScheduled) {
                flushScheduled = true;
                timer.schedule(this::flush, properties.batch().window().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            log.debug("shutting down: the keys query of {} waits for the restart", userId);
        }
    }

    private void flush() {
        Map<String, Integer> batch = new LinkedHashMap<>();
        synchronized (this) {
            flushScheduled = false;
            var it = due.entrySet().iterator();
            while (it.hasNext() && batch.size() < properties.batch().maxUsers()) {
                var e = it.next();
                batch.put(e.getKey(), e.getValue());
                it.remove();
            }
            if (!due.isEmpty() && !flushScheduled) {
                flushScheduled = true;
                timer.execute(this::flush);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        Instant requestedAt = clock.instant();
        long started = System.nanoTime();
        log.debug("querying keys of {} user(s)", batch.size());
        client.queryKeys(batch.keySet())
                .thenAccept(outcome -> deliver(batch, requestedAt, Duration.ofNanos(System.nanoTime() - started), outcome))
                .exceptionally(t -> {
                    log.error("delivering a keys query outcome failed", t);
                    return null;
                });
    }

    private void deliver(Map<String, Integer> batch, Instant requestedAt, Duration took, KeysQueryOutcome outcome) {
        if (closed) {
            return; // shutting down: the saga's persisted timeout retries after the restart
        }
        if (!(outcome instanceof KeysQueryOutcome.Answered answered)) {
            observe(batch, took, outcome instanceof KeysQueryOutcome.HttpError ? "http_error"
                    : outcome instanceof KeysQueryOutcome.TimedOut ? "timed_out"
                    : outcome instanceof KeysQueryOutcome.Unreachable ? "unreachable" : "malformed");
            failAll(batch, requestedAt, KeysQueryOutcome.describe(outcome));
            return;
        }
        RECORDING.set(batch);
        try {
            keys.record(answered.body(), requestedAt);
        } catch (RefusalException e) {
            observe(batch, took, "unrecordable");
            failAll(batch, requestedAt, "the response could not be read: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            // Users already recorded ignore the failure (their saga saw the keys first).
            log.warn("recording a keys query response failed", e);
            observe(batch, took, "unrecordable");
            failAll(batch, requestedAt, "the response could not be recorded: " + e.getClass().getSimpleName());
            return;
        } finally {
            RECORDING.remove();
        }
        observe(batch, took, "answered");
        batch.forEach((userId, attempt) -> {
            if (answered.unanswered(userId)) {
                fail(userId, requestedAt, attempt, "the user's homeserver could not be reached");
            } else if (!mentions(answered.body(), userId)) {
                fail(userId, requestedAt, attempt, "the response does not mention the user");
            }
        });
    }

    private void observe(Map<String, Integer> batch, Duration took, String outcome) {
        try {
            observer.queried(batch, took, outcome);
        } catch (RuntimeException e) {
            log.debug("the lane observer failed", e);
        }
    }

    /** The sections that make a user part of the response (as {@code KeysQueryResponse} reads it). */
    private static boolean mentions(JsonNode body, String userId) {
        for (String section : SECTIONS) {
            if (body.path(section).has(userId)) {
                return true;
            }
        }
        return false;
    }

    private void failAll(Map<String, Integer> batch, Instant requestedAt, String reason) {
        log.info("keys query for {} user(s) failed: {}", batch.size(), reason);
        batch.forEach((userId, attempt) -> fail(userId, requestedAt, attempt, reason));
    }

    private void fail(String userId, Instant requestedAt, int attempt, String reason) {
        commands.send(new RecordKeysQueryFailure(userId, requestedAt, attempt, reason)).exceptionally(t -> {
            // The saga's response timeout still turns this attempt into a retry.
            log.warn("recording the failed keys query of {} failed: {}", userId, t.toString());
            return null;
        });
    }

    /**
     * Stops delivering at the very start of a shutdown, while the command bus still runs: whatever is
     * in flight now is retried after the restart through the saga's persisted response timeout.
     */
    @EventListener(ContextClosedEvent.class)
    public void closing() {
        closed = true;
    }

    @Override
    public void destroy() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
