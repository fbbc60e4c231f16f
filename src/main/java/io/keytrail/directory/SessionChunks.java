package io.keytrail.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keytrail.session.NewSessions;

/**
 * The frame of the batch write path (ADR 0017, ADR 0020), shared by the fast lane's runs of room keys
 * and the imports' batches: items are decided in their order, a chunk at a time, each chunk in ONE unit
 * of work with the users its decisions read locked once. The caller decides each item of a chunk: for
 * a session that already has history, through its aggregate as always; for one that has none, by
 * handing the session's first events to {@link Writes#append}, which are stored together
 * ({@link NewSessions}) when the chunk's decisions are done, with the records ({@link Writes#record}) of
 * what was refused.
 *
 * <p>A chunk never holds one session twice: an item that repeats a session of the chunk starts the next
 * chunk, after the earlier one is stored, so it is a re-receipt exactly as it would be alone. If a chunk's
 * unit fails as a whole (a conflict that persisted, a command that failed inside it, a bug), nothing of
 * it is kept and its items are handed one by one to the caller's single-item path, each in its own unit.
 */
public final class SessionChunks {
    private static final Logger log = LoggerFactory.getLogger(SessionChunks.class);

    private final UserLocks locks;
    private final NewSessions newSessions;
    private final EventGateway events;

    public SessionChunks(UserLocks locks, NewSessions newSessions, EventGateway events) {
        this.locks = locks;
        this.newSessions = newSessions;
        this.events = events;
    }

    /** Decides the items of one chunk, in order, inside its unit; returns one result per item, in order. */
    @FunctionalInterface
    public interface Decider<I, R> {
        List<R> decide(List<I> chunk, Writes writes);
    }

    /** What a chunk's decisions write besides what aggregates apply; and which of its sessions exist. */
    public static final class Writes {
        private final Set<String> existing;
        private final Map<String, List<Object>> appends = new LinkedHashMap<>();
        private final List<Object> records = new ArrayList<>();

        Writes(Set<String> existing) {
            this.existing = existing;
        }

        /** True when the session already has events: it is decided by its aggregate. */
        public boolean exists(String aggregateId) {
            return existing.contains(aggregateId);
        }

        /** The first events of a session that has none, numbered from 0 as its aggregate would number them. */
        public void append(String aggregateId, List<Object> firstEvents) {
            appends.put(aggregateId, firstEvents);
        }

        /** An event that records a refusal (it belongs to no aggregate); published with the chunk. */
        public void record(Object event) {
            records.add(event);
        }
    }

    /**
     * Decides {@code items} chunk by chunk; the result of each item is at its position.
     *
     * @param aggregateId the session aggregate an item writes to
     * @param users       the users whose data an item's decision reads (locked for its chunk; may be none)
     * @param alone the single-item path (its own unit), for the items of a chunk that failed as a whole;
     *              it answers every item, failures included, and never throws
     * @param what  what the items are, for the log line of a fallback
     */
    public <I, R> List<R> decideAll(List<I> items, Function<I, String> aggregateId,
                                    Function<I, Collection<String>> users, Decider<I, R> decider,
                                    Function<I, R> alone, String what) {
        Keys<I> keys = new Keys<>(aggregateId, users);
        List<R> results = new ArrayList<>(items.size());
        List<I> chunk = new ArrayList<>();
        Set<String> inChunk = new HashSet<>();
        for (I item : items) {
            if (!inChunk.add(keys.aggregateId().apply(item))) {
                results.addAll(decideChunk(chunk, keys, decider, alone, what));
                chunk = new ArrayList<>();
                inChunk = new HashSet<>(Set.of(keys.aggregateId().apply(item)));
            }
            chunk.add(item);
        }
        results.addAll(decideChunk(chunk, keys, decider, alone, what));
        return results;
    }

    private record Keys<I>(Function<I, String> aggregateId, Function<I, Collection<String>> users) {
    }

    private <I, R> List<R> decideChunk(List<I> chunk, Keys<I> keys, Decider<I, R> decider, Function<I, R> alone,
                                       String what) {
        if (chunk.isEmpty()) {
            return List.of();
        }
        Set<String> users = new HashSet<>();
        chunk.forEach(item -> users.addAll(keys.users().apply(item)));
        try {
            return locks.withUsers(users, () -> {
                Set<String> ids = new HashSet<>();
                chunk.forEach(item -> ids.add(keys.aggregateId().apply(item)));
                Writes writes = new Writes(newSessions.existing(ids));
                List<R> decided = decider.decide(chunk, writes);
                newSessions.append(writes.appends);
                if (!writes.records.isEmpty()) {
                    events.publish(new ArrayList<>(writes.records));
                }
                return decided;
            });
        } catch (RuntimeException e) {
            log.warn("a batch of {} {} failed as a whole ({}); deciding them one by one", chunk.size(), what,
                    e.toString());
            return chunk.stream().map(alone).toList();
        }
    }
}
