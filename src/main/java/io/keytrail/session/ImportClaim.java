package io.keytrail.session;

import io.keytrail.trust.SenderData;

/**
 * Who an imported session's writer said created it: the {@code io.keytrail.sender} user id and the
 * {@code io.keytrail.sender_data} a Keytrail export or backup carries (ADR 0018). A claim only: never the
 * session's sender data. Its user id is whose keys the background fetches to re-decide the session.
 *
 * @param userId     the claimed owner, or null when the claim names none
 * @param senderData the sender data the writer had decided, or null
 */
public record ImportClaim(String userId, SenderData senderData) {
    /** A claim, or null when neither part is there (files from other clients). */
    public static ImportClaim of(String userId, SenderData senderData) {
        String user = userId != null ? userId : senderData == null ? null : senderData.userId().orElse(null);
        return user == null && senderData == null ? null : new ImportClaim(user, senderData);
    }
}
