package io.keytrail.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.keytrail.decrypt.DecryptObserver;
import io.keytrail.identity.IdentityEvents.KeysQueryAbandoned;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.lanes.KeysQueryLane;
import io.keytrail.lanes.LaneObserver;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.Trigger;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.TrustPolicy;

/**
 * Keytrail's own metrics (ADR 0015; the list is in the README, "Operations"). Counters follow the
 * events this node publishes (a subscribing processor, so each node counts its own work once, in the
 * unit of work that stored it) and what the lanes and decryption report; the session gauges read the
 * directory, at most once per {@link #SESSIONS_REFRESH}. Names are Micrometer's; Prometheus shows
 * {@code keytrail.room.keys} as {@code keytrail_room_keys_total}. No tag carries a user, room or session
 * id: their number is bounded by the code, not by the data.
 */
@ProcessingGroup(KeytrailMetrics.PROCESSING_GROUP)
class KeytrailMetrics implements LaneObserver, DecryptObserver {
    static final String PROCESSING_GROUP = "keytrail-metrics";
    /** How old the session gauges may be: a scrape never waits for more than one count query per period. */
    static final Duration SESSIONS_REFRESH = Duration.ofSeconds(10);
    /** The sender-data states by rank (SenderData's ranks), as the gauges' {@code sender_data} tag. */
    static final List<String> STATES = List.of("UnknownDevice", "DeviceInfo", "VerificationViolation",
            "SenderUnverified", "SenderVerified");

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile SessionCounts sessions = new SessionCounts(Map.of(), 0, 0, Instant.MIN);

    KeytrailMetrics(MeterRegistry registry, JdbcTemplate jdbc, Clock clock) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.clock = clock;
        for (String state : STATES) {
            Gauge.builder("keytrail.sessions", () -> sessions().byState().getOrDefault(state, 0L))
                    .description("Stored sessions that are not discarded, by sender-data state")
                    .tag("sender_data", state).register(registry);
        }
        Gauge.builder("keytrail.sessions.discarded", () -> sessions().discarded())
                .description("Stored sessions that were discarded (evidence of tampering)").register(registry);
        Gauge.builder("keytrail.sessions.pending", () -> sessions().pending())
                .description("Sessions received over Olm still waiting for their creator's keys (UnknownDevice,"
                        + " not discarded, not imported)").register(registry);
    }

    // ---- room keys per lane and outcome ------------------------------------------------------------

    @EventHandler
    void on(SessionReceived e) {
        roomKey("fast", state(e.senderData()));
    }

    @EventHandler
    void on(RoomKeyRefused e) {
        roomKey("fast", "refused");
    }

    @EventHandler
    void on(SessionDiscarded e) {
        Counter.builder("keytrail.sessions.discards").description("Sessions discarded for evidence of tampering")
                .register(registry).increment();
    }

    @EventHandler
    void on(SenderDataChanged e) {
        Counter.builder("keytrail.sender.data.changes")
                .description("Changes of a session's sender data, by what caused them and the new state")
                .tags("trigger", e.trigger().name().toLowerCase(java.util.Locale.ROOT), "sender_data", state(e.current()))
                .register(registry).increment();
        if (e.trigger() == Trigger.DEVICE_KEYS_FETCHED) {
            String lane = e.current().userId().flatMap(KeysQueryLane::attemptBeingRecorded)
                    .map(attempt -> attempt > 1 ? "retry" : "slow").orElse("input");
            roomKey(lane, state(e.current()));
        }
    }

    private void roomKey(String lane, String outcome) {
        Counter.builder("keytrail.room.keys")
                .description("Room keys decided: at reception (fast), after the slow lane's query (slow), after a"
                        + " retried query (retry) or after keys given as an input (input); by outcome")
                .tags("lane", lane, "outcome", outcome).register(registry).increment();
    }

    // ---- the slow lane and the background retry ---------------------------------------------------

    @Override
    public void queried(Map<String, Integer> attempts, Duration took, String outcome) {
        Timer.builder("keytrail.keys.query").description("/keys/query requests to the homeserver, by outcome")
                .tag("outcome", outcome).register(registry).record(took);
    }

    @Override
    public void retryScheduled(String userId, int attempt) {
        Counter.builder("keytrail.keys.query.retries.scheduled")
                .description("Retries of a user's keys query scheduled by the background lane").register(registry)
                .increment();
    }

    @EventHandler
    void on(KeysQueryFailed e) {
        Counter.builder("keytrail.keys.query.failures")
                .description("Users whose keys query failed (error, timeout, unreachable, device not in the answer)")
                .register(registry).increment();
    }

    @EventHandler
    void on(KeysQueryAbandoned e) {
        Counter.builder("keytrail.keys.query.abandoned").description("Users whose keys query was given up")
                .register(registry).increment();
    }

    // ---- decryption ---------------------------------------------------------------------------------

    @Override
    public void decrypted(TrustPolicy policy, String outcome) {
        Counter.builder("keytrail.decryptions").description("Decrypt requests by policy and outcome")
                .tags("policy", policy == null ? "none" : policy.name(), "outcome", outcome)
                .register(registry).increment();
    }

    // ---- session gauges -------------------------------------------------------------------------------

    record SessionCounts(Map<String, Long> byState, long discarded, long pending, Instant at) {
    }

    /** The directory's counts, re-read when older than {@link #SESSIONS_REFRESH}. */
    SessionCounts sessions() {
        SessionCounts current = sessions;
        Instant now = clock.instant();
        if (current.at().plus(SESSIONS_REFRESH).isAfter(now)) {
            return current;
        }
        synchronized (this) {
            if (sessions.at().plus(SESSIONS_REFRESH).isAfter(now)) {
                return sessions;
            }
            sessions = countSessions(now);
            return sessions;
        }
    }

    /** One grouped query over the directory's sessions. */
    SessionCounts countSessions(Instant now) {
        Map<String, Long> byState = new HashMap<>();
        long[] discardedAndPending = new long[2];
        jdbc.query("select rank, discarded, imported, count(*) from kt_session group by rank, discarded, imported", row -> {
            int rank = row.getInt(1);
            boolean rankKnown = !row.wasNull();
            boolean discarded = row.getBoolean(2);
            boolean imported = row.getBoolean(3);
            long count = row.getLong(4);
            if (discarded) {
                discardedAndPending[0] += count;
            } else if (rankKnown && rank >= 0 && rank < STATES.size()) {
                byState.merge(STATES.get(rank), count, Long::sum);
                if (rank == SenderData.UNKNOWN_DEVICE_RANK && !imported) {
                    discardedAndPending[1] += count;
                }
            }
        });
        return new SessionCounts(Map.copyOf(byState), discardedAndPending[0], discardedAndPending[1], now);
    }

    private static String state(SenderData data) {
        return data.getClass().getSimpleName();
    }
}
