package io.keytrail.lanes;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What came of one {@code POST /keys/query}: never an exception, so that no failure can kill a flow.
 * Every variant but {@link Answered} is retried by the background lane.
 */
public sealed interface KeysQueryOutcome {
    /** A 2xx with a JSON object body. {@code failures} lists homeservers that could not be reached. */
    record Answered(JsonNode body, Map<String, JsonNode> failures) implements KeysQueryOutcome {
        /** Users of an unreachable homeserver get no answer from this response. */
        public boolean unanswered(String userId) {
            int colon = userId.indexOf(':');
            return colon >= 0 && failures.containsKey(userId.substring(colon + 1));
        }
    }

    /** A non-2xx status. */
    record HttpError(int status, String body) implements KeysQueryOutcome {
    }

    /** No answer within the read timeout. */
    record TimedOut(String detail) implements KeysQueryOutcome {
    }

    /** Connection refused, DNS, TLS, I/O errors. */
    record Unreachable(String detail) implements KeysQueryOutcome {
    }

    /** A 2xx whose body is not a JSON object. */
    record Malformed(String detail) implements KeysQueryOutcome {
    }

    /** A short description for logs and events. */
    static String describe(KeysQueryOutcome outcome) {
        if (outcome instanceof Answered a) {
            return "answered" + (a.failures().isEmpty() ? "" : " with failures " + a.failures().keySet());
        } else if (outcome instanceof HttpError e) {
            return "HTTP " + e.status();
        } else if (outcome instanceof TimedOut t) {
            return "timed out: " + t.detail();
        } else if (outcome instanceof Unreachable u) {
            return "unreachable: " + u.detail();
        }
        return "malformed response: " + ((Malformed) outcome).detail();
    }
}
