package io.keytrail.lanes;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the slow lane hands a homeserver's {@code /keys/query} answer: the same path as a recorded
 * response, so re-decisions happen exactly as for any other keys. Implemented by the re-decision room,
 * which sits below the lanes; the lane only knows this interface.
 */
public interface KeysQueryRecorder {
    /**
     * Records a response to a request sent at {@code requestedAt}.
     *
     * @throws io.keytrail.errors.RefusalException when the body is not a valid response
     */
    void record(JsonNode body, Instant requestedAt);
}
