package io.keytrail.directory;

import io.keytrail.session.ImportClaim;

import io.keytrail.trust.SenderData;

/**
 * A session as the interfaces show it (design section 10).
 *
 * @param claim an imported session's claimed owner (ADR 0018), shown as a claim beside the sender data;
 *              null when there is none
 * @param forgotten its key material was destroyed on purpose (ADR 0012)
 */
public record SessionView(String roomId, String sessionId, SenderData senderData, boolean imported,
                          boolean discarded, ImportClaim claim, boolean forgotten) {
    public SessionView(String roomId, String sessionId, SenderData senderData, boolean imported, boolean discarded) {
        this(roomId, sessionId, senderData, imported, discarded, null, false);
    }
}
