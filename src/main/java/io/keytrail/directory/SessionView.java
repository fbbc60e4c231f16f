package io.keytrail.directory;

import io.keytrail.session.ImportClaim;

import io.keytrail.trust.SenderData;

/**
 * A session as the interfaces show it (design section 10).
 *
 * @param claim an imported session's claimed owner (ADR 0018), shown as a claim beside the sender data;
 *              null when there is none
 */
public record SessionView(String roomId, String sessionId, SenderData senderData, boolean imported,
                          boolean discarded, ImportClaim claim) {
    public SessionView(String roomId, String sessionId, SenderData senderData, boolean imported, boolean discarded) {
        this(roomId, sessionId, senderData, imported, discarded, null);
    }
}
