package io.keytrail.audit;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.keytrail.directory.SessionRow;
import io.keytrail.directory.SessionRows;
import io.keytrail.directory.WriteUnits;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.Bounds;
import io.keytrail.session.Commands;
import io.keytrail.session.MegolmSession;
import io.keytrail.session.SessionCommands.ForgetSession;

/**
 * {@code forget}: crypto-shreds one session or every session of a room (ADR 0012). Each session is its
 * own unit of work: its {@code SessionForgotten} event and the deletion of its data keys commit together.
 * Forgetting a forgotten session again changes nothing, so a forget that stopped halfway can simply be
 * run again.
 */
@Component
public class SessionForgetter {
    private static final Logger log = LoggerFactory.getLogger(SessionForgetter.class);
    /** A reason is a note for the trail, not a document. */
    static final int MAX_REASON_CHARS = 1000;
    private final Commands commands;
    private final SessionRows sessions;
    private final WriteUnits units;

    public SessionForgetter(CommandGateway gateway, SessionRows sessions, WriteUnits units) {
        this.commands = new Commands(gateway);
        this.sessions = sessions;
        this.units = units;
    }

    /** What happened to one session. */
    public record Forgot(String roomId, String sessionId, boolean forgotten, int dataKeysDestroyed,
                         boolean legacySealed) {
    }

    /** Every session named, in store order. */
    public record Result(List<Forgot> sessions) {
        public long forgotten() {
            return sessions.stream().filter(Forgot::forgotten).count();
        }

        public long alreadyForgotten() {
            return sessions.size() - forgotten();
        }

        public long legacySealed() {
            return sessions.stream().filter(Forgot::legacySealed).count();
        }
    }

    /**
     * Forgets session {@code sessionId} of {@code roomId}, or every session of the room when
     * {@code sessionId} is null.
     *
     * @param by     who asks (recorded in the event)
     * @param reason why (recorded in the event; may be empty)
     * @throws RefusalException {@code UNKNOWN_SESSION} when there is nothing to forget, {@code INVALID_INPUT}
     *                          for an oversized id or reason
     */
    public Result forget(String roomId, String sessionId, String by, String reason) {
        if (roomId == null || roomId.isEmpty() || !Bounds.isIdSized(roomId)
                || (sessionId != null && (sessionId.isEmpty() || !Bounds.isIdSized(sessionId)))) {
            throw RefusalException.invalidInput("forget needs a room id and, for one session, a session id, each "
                    + "at most " + Bounds.MAX_ID_BYTES + " bytes");
        }
        String why = reason == null ? "" : reason;
        if (why.length() > MAX_REASON_CHARS) {
            throw RefusalException.invalidInput("reason is longer than " + MAX_REASON_CHARS + " characters");
        }
        List<SessionRow> rows = sessionId == null ? sessions.findByRoomIdOrderByPosition(roomId)
                : sessions.findByRoomIdAndSessionId(roomId, sessionId).map(List::of).orElse(List.of());
        if (rows.isEmpty()) {
            throw new RefusalException(RefusalCode.UNKNOWN_SESSION, sessionId == null ? "no session in " + roomId
                    : "no session " + sessionId + " in " + roomId);
        }
        List<Forgot> out = new ArrayList<>();
        for (SessionRow row : rows) {
            MegolmSession.Forgetting f = units.run(() -> commands.send(
                    new ForgetSession(row.getAggregateId(), by, why)));
            out.add(new Forgot(row.getRoomId(), row.getSessionId(), f.forgotten(), f.dataKeysDestroyed(),
                    f.legacySealed()));
            if (f.forgotten()) {
                log.debug("forgot session {} in {} ({} data keys destroyed)", row.getSessionId(), row.getRoomId(),
                        f.dataKeysDestroyed());
            }
        }
        Result result = new Result(out);
        log.info("forget {}{}: {} sessions forgotten, {} already forgotten", roomId,
                sessionId == null ? "" : " " + sessionId, result.forgotten(), result.alreadyForgotten());
        return result;
    }
}
