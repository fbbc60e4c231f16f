package io.keytrail.directory;

import io.keytrail.trust.SenderData;

/**
 * A session as the interfaces show it (design section 10).
 *
 * @param forgotten its key material was destroyed on purpose (ADR 0012)
 */
public record SessionView(String roomId, String sessionId, SenderData senderData, boolean imported,
                          boolean discarded, boolean forgotten) {
    public SessionView(String roomId, String sessionId, SenderData senderData, boolean imported, boolean discarded) {
        this(roomId, sessionId, senderData, imported, discarded, false);
    }
}
