package io.keytrail.lanes;

import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.AbandonKeysQuery;
import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.SenderData;

/**
 * The slow lane and background retry for one user (design section 4). Started when a session arrives
 * from a device we do not know ({@code UnknownDevice}), or from a known device while the user's
 * cross-signing identity is unknown ({@code DeviceInfo} without MSK). One query in flight per user:
 * sessions of the same user join the running saga. It ends when every awaited device showed up in a
 * {@code DeviceKeysFetched} (from this lane or from anywhere else), or when attempts run out.
 *
 * <p>State and deadlines are persisted (JPA saga store, db-scheduler), so a restart resumes the wait:
 * a query that was in flight at the crash times out and is retried (ADR 0005).
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class KeysQuerySaga {
    static final String QUERY_DUE = "keys-query-due";
    static final String QUERY_TIMEOUT = "keys-query-timeout";
    static final String USER = "userId";

    private String userId;
    private Set<String> missingCurveKeys = new TreeSet<>();
    private boolean identityWanted;
    private int attempts;
    private boolean inFlight;
    private String dueDeadlineId;
    private String timeoutDeadlineId;

    @StartSaga
    @SagaEventHandler(associationProperty = "sender", keyName = USER)
    public void on(SessionReceived e, KeyQueries lane, DeadlineManager deadlines) {
        userId = e.sender();
        boolean unknownDevice = e.senderData() instanceof SenderData.UnknownDevice;
        boolean identityUnknown = e.senderData() instanceof SenderData.DeviceInfo
                && (e.evidence() == null || e.evidence().masterKey() == null);
        if (!lane.enabled() || !(unknownDevice || identityUnknown)) {
            endIfIdle();
            return;
        }
        if (unknownDevice) {
            missingCurveKeys.add(e.senderKey());
        } else {
            identityWanted = true;
        }
        if (!inFlight && dueDeadlineId == null) {
            query(lane, deadlines);
        }
    }

    /** Keys arrived, from this lane or any other source: the devices that showed up end the waiting. */
    @SagaEventHandler(associationProperty = USER)
    public void on(DeviceKeysFetched e, KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (inFlight) {
            inFlight = false;
            cancel(deadlines, QUERY_TIMEOUT, timeoutDeadlineId);
            timeoutDeadlineId = null;
        }
        identityWanted = false;
        for (ObjectNode device : e.devices().values()) {
            device.path("keys").properties().forEach(k -> {
                if (k.getKey().startsWith("curve25519:")) {
                    missingCurveKeys.remove(k.getValue().asText());
                }
            });
        }
        if (missingCurveKeys.isEmpty()) {
            cancel(deadlines, QUERY_DUE, dueDeadlineId);
            SagaLifecycle.end();
            return;
        }
        retryOrGiveUp(lane, deadlines, commands);
    }

    @SagaEventHandler(associationProperty = USER)
    public void on(KeysQueryFailed e, KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (e.attempt() != attempts) {
            return; // a late verdict on an earlier attempt: the current query is still waiting for its own
        }
        inFlight = false;
        cancel(deadlines, QUERY_TIMEOUT, timeoutDeadlineId);
        timeoutDeadlineId = null;
        retryOrGiveUp(lane, deadlines, commands);
    }

    @DeadlineHandler(deadlineName = QUERY_DUE)
    public void onQueryDue(KeyQueries lane, DeadlineManager deadlines) {
        dueDeadlineId = null;
        if (!inFlight) {
            query(lane, deadlines);
        }
    }

    /** No answer in time (a stalled homeserver, or a crash while the query was in flight): a failure. */
    @DeadlineHandler(deadlineName = QUERY_TIMEOUT)
    public void onQueryTimeout(KeyQueries lane, CommandGateway commands, Clock clock) {
        timeoutDeadlineId = null;
        if (inFlight) {
            commands.send(new RecordKeysQueryFailure(userId, clock.instant(), attempts,
                    "no answer within " + lane.responseTimeout()));
        }
    }

    private void query(KeyQueries lane, DeadlineManager deadlines) {
        attempts++;
        inFlight = true;
        lane.request(userId, attempts);
        timeoutDeadlineId = deadlines.schedule(lane.responseTimeout(), QUERY_TIMEOUT);
    }

    private void retryOrGiveUp(KeyQueries lane, DeadlineManager deadlines, CommandGateway commands) {
        if (dueDeadlineId != null || inFlight) {
            return;
        }
        if (missingCurveKeys.isEmpty() && !identityWanted) {
            SagaLifecycle.end();
            return;
        }
        if (lane.backoff().exhausted(attempts)) {
            commands.send(new AbandonKeysQuery(userId, attempts, Set.copyOf(missingCurveKeys)));
            SagaLifecycle.end();
            return;
        }
        dueDeadlineId = deadlines.schedule(lane.backoff().delayBefore(attempts), QUERY_DUE);
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
