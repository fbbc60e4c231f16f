package io.keytrail.lanes;

import java.time.Duration;

/** What the keys-query saga needs from the outgoing side (a seam for saga tests). */
public interface KeyQueries {
    /** False when no homeserver is configured: the slow lane then never calls out. */
    boolean enabled();

    /** Asks for the user's keys soon; never blocks. The answer arrives as events. */
    void request(String userId, int attempt);

    /** How long an in-flight query may stay unanswered before it counts as failed. */
    Duration responseTimeout();

    Backoff backoff();

    /** The saga scheduled attempt {@code attempt} of the user's query (for metrics; must not throw). */
    default void retryScheduled(String userId, int attempt) {
    }
}
