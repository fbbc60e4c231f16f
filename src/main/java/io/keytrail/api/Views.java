package io.keytrail.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.SessionView;
import io.keytrail.trust.SenderDataJson;

/** The JSON shapes of design section 10 for sessions. */
final class Views {
    private Views() {
    }

    /**
     * {@code {"room_id","session_id","sender_data","discarded"}}, plus {@code "forgotten":true} for a forgotten
     * session (ADR 0012; left out otherwise, so every other session's line is as before).
     */
    static ObjectNode session(ObjectMapper mapper, SessionView view) {
        ObjectNode out = mapper.createObjectNode();
        out.put("room_id", view.roomId());
        out.put("session_id", view.sessionId());
        out.set("sender_data", SenderDataJson.write(view.senderData()));
        out.put("discarded", view.discarded());
        if (view.forgotten()) {
            out.put("forgotten", true);
        }
        return out;
    }
}
