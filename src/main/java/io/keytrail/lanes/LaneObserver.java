package io.keytrail.lanes;

import java.time.Duration;
import java.util.Map;

/**
 * What the slow and background lanes report to operations (metrics, ADR 0015): each {@code /keys/query}
 * sent, how long it took and how it ended, and each retry the saga schedules. Implemented in {@code api};
 * the lanes only know this interface, and nothing here may throw into a lane.
 */
public interface LaneObserver {
    /** Observes nothing: the lanes without operations (tests, embedding without metrics). */
    LaneObserver NONE = new LaneObserver() {
    };

    /**
     * One {@code /keys/query} request ended.
     *
     * @param attempts the users it asked for, each with its attempt number (1: the slow lane, more: a retry)
     * @param outcome  {@code answered}, {@code http_error}, {@code timed_out}, {@code unreachable},
     *                 {@code malformed} or {@code unrecordable} (an answer that could not be read or recorded)
     */
    default void queried(Map<String, Integer> attempts, Duration took, String outcome) {
    }

    /** The saga scheduled attempt {@code attempt} (at least 2) of {@code userId}'s keys query. */
    default void retryScheduled(String userId, int attempt) {
    }
}
