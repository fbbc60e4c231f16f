package io.keytrail.session;

/**
 * A Megolm session is identified by room and session id together (the spec: never by sender key).
 * The aggregate identifier joins them with {@code |}; a session id is unpadded base64 and never
 * contains it, so the last {@code |} splits the two unambiguously.
 */
public record SessionRef(String roomId, String sessionId) {
    public SessionRef {
        if (roomId == null || roomId.isEmpty() || sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("room id and session id are required");
        }
    }

    public String aggregateId() {
        return roomId + "|" + sessionId;
    }

    public static SessionRef parse(String aggregateId) {
        int bar = aggregateId.lastIndexOf('|');
        if (bar <= 0) {
            throw new IllegalArgumentException("not a session aggregate id: " + aggregateId);
        }
        return new SessionRef(aggregateId.substring(0, bar), aggregateId.substring(bar + 1));
    }
}
