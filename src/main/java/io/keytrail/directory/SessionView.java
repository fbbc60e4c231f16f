package io.keytrail.directory;

import io.keytrail.trust.SenderData;

/** A session as the interfaces show it (design section 10). */
public record SessionView(String roomId, String sessionId, SenderData senderData, boolean imported,
                          boolean discarded) {
}
