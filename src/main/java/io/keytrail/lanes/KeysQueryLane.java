package io.keytrail.lanes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.intake.IntakeException;
import io.keytrail.intake.KeysIntake;

/**
 * The slow lane's outgoing side: collects users whose queries are due, sends one {@code /keys/query}
 * per batch without blocking anyone, and feeds the answer in through the same path as any other keys
 * ({@link KeysIntake}), so re-decisions happen exactly as for a recorded response. A user the answer
 * does not cover gets a {@code KeysQueryFailed} event, which the saga turns into a retry.
 */
@Component
public class KeysQueryLane implements KeyQueries, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(KeysQueryLane.class);

    private final LaneProperties properties;
    private final HomeserverClient client;
    private final KeysIntake keys;
    private final CommandGateway commands;
    private final Clock clock;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Map<String, Integer> due = new LinkedHashMap<>();
    private boolean flushScheduled;

    public KeysQueryLane(LaneProperties properties, ObjectMapper mapper, KeysIntake keys, CommandGateway commands,
                         Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.commands = commands;
        this.clock = clock;
        this.backoff = new Backoff(properties.retry(), () -> ThreadLocalRandom.current().nextDouble());
        LaneProperties.Homeserver hs = properties.homeserver();
        if (hs.configured()) {
            this.client = new HomeserverClient(hs.baseUrl(), hs.accessToken(), hs.connectTimeout(), hs.readTimeout(),
                    mapper);
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "keytrail-keys-query");
                t.setDaemon(true);
                return t;
            });
            log.info("Slow lane on: unknown devices are queried at {}", client.endpoint());
        } else {
            this.client = null;
            this.timer = null;
            log.warn("No homeserver configured (keytrail.homeserver.base-url): the slow lane and background "
                    + "retry are off; device keys come only from inputs (keys_query_response).");
        }
    }

    @Override
    public boolean enabled() {
        return client != null;
    }

    @Override
    public Backoff backoff() {
        return backoff;
    }

    /** How long an in-flight query may stay unanswered before it counts as failed (e.g. after a crash). */
    @Override
    public Duration responseTimeout() {
        return properties.homeserver().readTimeout().plus(properties.homeserver().connectTimeout());
    }

    /** Asks for {@code userId}'s keys soon, in a batch with other users due now. Never blocks. */
    @Override
    public synchronized void request(String userId, int attempt) {
        if (!enabled()) {
            return;
        }
        due.put(userId, attempt);
        if (due.size() >= properties.batch().maxUsers()) {
            timer.execute(this::flush);
        } else if (!flushScheduled) {
            flushScheduled = true;
            timer.schedule(this::flush, properties.batch().window().toMillis(), TimeUnit.MILLISECONDS);
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
        log.debug("querying keys of {} user(s)", batch.size());
        client.queryKeys(batch.keySet()).thenAccept(outcome -> deliver(batch, requestedAt, outcome))
                .exceptionally(t -> {
                    log.error("delivering a keys query outcome failed", t);
                    return null;
                });
    }

    private void deliver(Map<String, Integer> batch, Instant requestedAt, KeysQueryOutcome outcome) {
        if (outcome instanceof KeysQueryOutcome.Answered answered) {
            try {
                keys.recordKeysQuery(answered.body(), requestedAt);
            } catch (IntakeException e) {
                failAll(batch, requestedAt, "the response could not be read: " + e.getMessage());
                return;
            }
            batch.forEach((userId, attempt) -> {
                if (answered.unanswered(userId)) {
                    fail(userId, requestedAt, attempt, "the user's homeserver could not be reached");
                } else if (!mentions(answered.body(), userId)) {
                    fail(userId, requestedAt, attempt, "the response does not mention the user");
                }
            });
            return;
        }
        failAll(batch, requestedAt, KeysQueryOutcome.describe(outcome));
    }

    private static boolean mentions(JsonNode body, String userId) {
        return body.path("device_keys").has(userId) || body.path("master_keys").has(userId);
    }

    private void failAll(Map<String, Integer> batch, Instant requestedAt, String reason) {
        log.info("keys query for {} user(s) failed: {}", batch.size(), reason);
        batch.forEach((userId, attempt) -> fail(userId, requestedAt, attempt, reason));
    }

    private void fail(String userId, Instant requestedAt, int attempt, String reason) {
        commands.send(new RecordKeysQueryFailure(userId, requestedAt, attempt, reason));
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
