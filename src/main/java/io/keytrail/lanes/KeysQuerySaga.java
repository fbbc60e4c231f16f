package io.keytrail.lanes;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.AbandonKeysQuery;
import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.session.SessionEvents.SenderKeysWanted;

/**
 * The slow lane and background retry for one user (design section 4). Started by {@link SenderKeysWanted},
 * which a session records when a decision needs the homeserver's keys: a session from a device we do not
 * know ({@code UnknownDevice}), from a known device while the user's cross-signing identity is unknown
 * ({@code DeviceInfo} without MSK), or an import that names its owner. One query in flight per user:
 * sessions of the same user join the running saga and wait for its query or scheduled retry. It ends
 * when every awaited device showed up in a {@code DeviceKeysFetched} (from this lane or from anywhere
 * else), or when attempts run out ({@code KeysQueryAbandoned}).
 *
 * <p>At any time the saga is either waiting for a query ({@code inFlight}, guarded by a response
 * timeout) or for a scheduled retry ({@code dueDeadlineId}). State and deadlines are persisted (JPA
 * saga store, db-scheduler), so a restart resumes the wait: a query in flight at a crash times out
 * and is retried (ADR 0005). Deadline payloads name their attempt, so a stale one is ignored.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class KeysQuerySaga {
    private static final Logger log = LoggerFactory.getLogger(KeysQuerySaga.class);
    static final String QUERY_DUE = "keys-query-due";
    static final String QUERY_TIMEOUT = "keys-query-timeout";
    static final String USER = "userId";

    /** Deadline payload: query number {@code attempt} (a retry) is due. */
    public record QueryDue(String userId, int attempt) {
    }

    /** Deadline payload: query number {@code attempt} got no answer in time. */
    public record QueryTimeout(String userId, int attempt) {
    }

    private String userId;
    /** Olm sender keys of sessions still {@code UnknownDevice}. */
    private Set<String> missingCurveKeys = new TreeSet<>();
    /** A {@code DeviceInfo} session waits for an answer that may bring the user's identity. */
    private boolean identityWanted;
    /** Queries asked so far (the first one counts). */
    private int attempts;
    private boolean inFlight;
    /** When the current (or last) query was asked: answers to older requests do not answer it. */
    private Instant queriedAt;
    private String dueDeadlineId;
    private String timeoutDeadlineId;

    /**
     * A decision needs this user's keys ({@link SenderKeysWanted}, ADR 0019): a device we do not know (its
     * curve25519 key), an unknown cross-signing identity, or the device an import's claim names (ADR 0018).
     * The saga reads no other session event: its processor passes over {@code SessionReceived} and
     * {@code SessionImported} by their type (no handler takes them), without deserialising them.
     */
    @StartSaga
    @SagaEventHandler(associationProperty = USER)
    public void on(SenderKeysWanted e, KeyQueries lane, DeadlineManager deadlines, Clock clock) {
        userId = e.userId();
        if (!lane.enabled()) {
            endIfIdle();
            return;
        }
        if (e.senderKey() != null) {
            missingCurveKeys.add(e.senderKey());
        }
        if (e.identityWanted()) {
            identityWanted = true;
        }
        if (!inFlight && dueDeadlineId == null) {
            query(lane, deadlines, clock);
        }
    }

    /** Keys arrived, from this lane or any other source: the devices that showed up end the waiting. */
    @SagaEventHandler(associationProperty = USER)
    public void on(DeviceKeysFetched e, KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        for (ObjectNode device : e.devices().values()) {
            device.path("keys").properties().forEach(k -> {
                if (k.getKey().startsWith("curve25519:")) {
                    missingCurveKeys.remove(k.getValue().asText());
                }
            });
        }
        // An answer to a request sent no earlier than ours is as good as our own answer.
        boolean answersOurQuery = queriedAt == null || e.requestedAt() == null || !e.requestedAt().isBefore(queriedAt);
        if (answersOurQuery) {
            identityWanted = false; // the homeserver told us what identity the user has, if any
        }
        if (missingCurveKeys.isEmpty() && !identityWanted) {
            finish(deadlines);
            return;
        }
        if (!answersOurQuery) {
            return; // older news: our own query is still out, or a retry is already scheduled
        }
        if (inFlight) {
            inFlight = false;
            cancel(deadlines, QUERY_TIMEOUT, timeoutDeadlineId);
            timeoutDeadlineId = null;
        }
        retryOrGiveUp(lane, deadlines, commands);
    }

    @SagaEventHandler(associationProperty = USER)
    public void on(KeysQueryFailed e, KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (!inFlight || e.attempt() != attempts) {
            return; // a late verdict on an earlier attempt, or on one already answered or timed out
        }
        inFlight = false;
        cancel(deadlines, QUERY_TIMEOUT, timeoutDeadlineId);
        timeoutDeadlineId = null;
        retryOrGiveUp(lane, deadlines, commands);
    }

    @DeadlineHandler(deadlineName = QUERY_DUE)
    public void on(QueryDue due, KeyQueries lane, DeadlineManager deadlines, Clock clock) {
        if (due.attempt() != attempts + 1 || inFlight) {
            return;
        }
        dueDeadlineId = null;
        if (!lane.enabled()) {
            // Restarted without a homeserver: nobody can answer; keys now come only from inputs.
            log.info("slow lane off: no longer waiting for the keys of {}", userId);
            SagaLifecycle.end();
            return;
        }
        query(lane, deadlines, clock);
    }

    /**
     * No answer in time (a stalled homeserver, or a crash while the query was in flight): a failure,
     * recorded as such; the retry does not wait for that record to come back.
     */
    @DeadlineHandler(deadlineName = QUERY_TIMEOUT)
    public void on(QueryTimeout timeout, KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (!inFlight || timeout.attempt() != attempts) {
            return;
        }
        timeoutDeadlineId = null;
        inFlight = false;
        commands.send(new RecordKeysQueryFailure(userId, queriedAt, attempts, "no answer within "
                + lane.responseTimeout()));
        retryOrGiveUp(lane, deadlines, commands);
    }

    private void query(KeyQueries lane, DeadlineManager deadlines, Clock clock) {
        attempts++;
        inFlight = true;
        queriedAt = clock.instant();
        timeoutDeadlineId = deadlines.schedule(lane.responseTimeout(), QUERY_TIMEOUT,
                new QueryTimeout(userId, attempts));
        String user = userId;
        int attempt = attempts;
        afterCommit(() -> lane.request(user, attempt));
    }

    /**
     * The query leaves this node only once the saga state that expects its answer is committed. A unit
     * that rolls back (its processor lost the segment's claim to another node, a conflict, a crash) is
     * handled again, by this node or another; asking at once would ask twice for one attempt, and a user
     * whose keys never come would be asked more than {@code max-attempts} times.
     */
    private static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unit -> action.run());
        } else {
            action.run();
        }
    }

    private void retryOrGiveUp(KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (dueDeadlineId != null || inFlight) {
            return;
        }
        if (missingCurveKeys.isEmpty() && !identityWanted) {
            finish(deadlines);
            return;
        }
        if (lane.backoff().exhausted(attempts)) {
            commands.send(new AbandonKeysQuery(userId, attempts, new TreeSet<>(missingCurveKeys)));
            SagaLifecycle.end();
            return;
        }
        dueDeadlineId = deadlines.schedule(lane.backoff().delayBefore(attempts), QUERY_DUE,
                new QueryDue(userId, attempts + 1));
        lane.retryScheduled(userId, attempts + 1);
    }

    private void finish(DeadlineManager deadlines) {
        cancel(deadlines, QUERY_TIMEOUT, timeoutDeadlineId);
        cancel(deadlines, QUERY_DUE, dueDeadlineId);
        SagaLifecycle.end();
    }

    private void endIfIdle() {
        if (missingCurveKeys.isEmpty() && !identityWanted && !inFlight && dueDeadlineId == null) {
            SagaLifecycle.end();
        }
    }

    private static void cancel(DeadlineManager deadlines, String name, String id) {
        if (id != null) {
            deadlines.cancelSchedule(name, id);
        }
    }
}
