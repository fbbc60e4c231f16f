package io.keytrail.api;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.DecisionReverifier.Finding;
import io.keytrail.audit.StoreVerifier;
import io.keytrail.session.SessionRef;

/**
 * How a re-verification finding is written: one JSON object or one line of text, naming the session
 * (room and session id), the aggregate and event, the verdict, recorded vs recomputed outcome and the reason.
 */
final class FindingLines {
    private FindingLines() {
    }

    /**
     * {@code {"verdict","room_id","session_id","aggregate","sequence","event","rule","recorded","recomputed",
     * "reason"}}; room and session id only for a session's aggregate, null values left out.
     */
    static ObjectNode json(ObjectMapper mapper, Finding f) {
        ObjectNode out = mapper.createObjectNode();
        out.put("verdict", f.verdict().name());
        SessionRef session = session(f.aggregateId());
        if (session != null) {
            out.put("room_id", session.roomId());
            out.put("session_id", session.sessionId());
        }
        out.put("aggregate", f.aggregateId());
        out.put("sequence", f.sequence());
        out.put("event", f.event());
        if (f.rule() != null) {
            out.put("rule", f.rule().name());
        }
        if (f.recorded() != null) {
            out.put("recorded", f.recorded());
        }
        if (f.recomputed() != null) {
            out.put("recomputed", f.recomputed());
        }
        out.put("reason", f.detail());
        return out;
    }

    /** {@code DIFFERS !room:x cVM9Ai6u… #2 SenderDataChanged (CROSS_SIGNED_VERIFIED): reason [recorded …; recomputed …]} */
    static String text(Finding f) {
        SessionRef session = session(f.aggregateId());
        String where = session == null ? f.aggregateId() : session.roomId() + " " + session.sessionId();
        StringBuilder line = new StringBuilder().append(f.verdict()).append(' ').append(where).append(" #")
                .append(f.sequence()).append(' ').append(f.event());
        if (f.rule() != null) {
            line.append(" (").append(f.rule()).append(')');
        }
        line.append(": ").append(f.detail());
        if (f.recorded() != null || f.recomputed() != null) {
            line.append(" [recorded ").append(f.recorded() == null ? "-" : f.recorded()).append("; recomputed ")
                    .append(f.recomputed() == null ? "-" : f.recomputed()).append(']');
        }
        return line.toString();
    }

    static String text(StoreVerifier.Summary s, double seconds) {
        return String.format(Locale.ROOT, "%,d events, %,d decisions: %,d confirmed, %,d differ, %,d unverifiable "
                        + "(%.1f s; %,d decisions/s)", s.events(), s.decisions(), s.confirmed(), s.differs(),
                s.unverifiable(), seconds, ProgressMeter.rate(s.decisions(), seconds));
    }

    /** A session's aggregate id is {@code <room id>|<session id>} and a room id starts with {@code !}. */
    static SessionRef session(String aggregateId) {
        if (aggregateId == null || !aggregateId.startsWith("!") || aggregateId.indexOf('|') < 0) {
            return null;
        }
        try {
            return SessionRef.parse(aggregateId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
