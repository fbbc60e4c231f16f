package io.keytrail.api;

import io.keytrail.session.ImportClaim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.SessionView;
import io.keytrail.trust.SenderDataJson;

/** The JSON shapes of design section 10 for sessions. */
final class Views {
    private Views() {
    }

    /**
     * {@code {"room_id","session_id","sender_data","discarded"}}, and {@code "claimed_owner"} after
     * {@code sender_data} when an import claims an owner (ADR 0018); absent otherwise; plus
     * {@code "forgotten":true} for a forgotten session (ADR 0012; left out otherwise).
     */
    static ObjectNode session(ObjectMapper mapper, SessionView view) {
        ObjectNode out = mapper.createObjectNode();
        out.put("room_id", view.roomId());
        out.put("session_id", view.sessionId());
        out.set("sender_data", SenderDataJson.write(view.senderData()));
        if (view.claim() != null) {
            out.set("claimed_owner", claim(mapper, view.claim()));
        }
        out.put("discarded", view.discarded());
        if (view.forgotten()) {
            out.put("forgotten", true);
        }
        return out;
    }

    /**
     * {@code {"user_id","sender_data"}}: who an import's writer says created the session, as claimed; each
     * member null when the claim does not say. Never the session's sender data.
     */
    static ObjectNode claim(ObjectMapper mapper, ImportClaim claim) {
        ObjectNode out = mapper.createObjectNode();
        out.put("user_id", claim.userId());
        if (claim.senderData() == null) {
            out.putNull("sender_data");
        } else {
            out.set("sender_data", SenderDataJson.write(claim.senderData()));
        }
        return out;
    }
}
