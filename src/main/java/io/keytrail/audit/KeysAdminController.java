package io.keytrail.audit;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalException;

/**
 * Keys at rest over HTTP (ADR 0012), admin token only (design 11: key rotation and shredding are admin
 * operations; neither path is in the user token's list): {@code POST /api/v1/admin/forget} and
 * {@code POST /api/v1/admin/rotate-key}.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
public class KeysAdminController {
    private final SessionForgetter forgetter;
    private final KeyRotation rotation;
    private final ObjectMapper mapper;

    public KeysAdminController(SessionForgetter forgetter, KeyRotation rotation, ObjectMapper mapper) {
        this.forgetter = forgetter;
        this.rotation = rotation;
        this.mapper = mapper;
    }

    /**
     * {@code {"room_id", "session_id"?, "reason"?, "by"?}}: forgets one session, or every session of the
     * room when {@code session_id} is absent. The event records {@code by} (default: the admin token) and
     * {@code reason}.
     */
    @PostMapping(path = "/forget", consumes = "application/json")
    public JsonNode forget(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RefusalException.invalidInput("the body must be a JSON object {\"room_id\", \"session_id\"?, \"reason\"?}");
        }
        String roomId = text(body, "room_id");
        String sessionId = text(body, "session_id");
        String by = text(body, "by");
        SessionForgetter.Result result = forgetter.forget(roomId, sessionId,
                "http admin" + (by == null || by.isBlank() ? "" : ": " + by), text(body, "reason"));
        ObjectNode out = mapper.createObjectNode();
        out.put("forgotten", result.forgotten());
        out.put("already_forgotten", result.alreadyForgotten());
        ArrayNode sessions = out.putArray("sessions");
        for (SessionForgetter.Forgot f : result.sessions()) {
            sessions.addObject().put("room_id", f.roomId()).put("session_id", f.sessionId())
                    .put("forgotten", f.forgotten()).put("data_keys_destroyed", f.dataKeysDestroyed())
                    .put("legacy_sealed", f.legacySealed());
        }
        return out;
    }

    /** Re-seals and re-wraps everything under the current sealing key; answers the report when done. */
    @PostMapping(path = "/rotate-key")
    public JsonNode rotateKey() {
        KeyRotation.Report report = rotation.rotate(progress -> { });
        ObjectNode out = mapper.createObjectNode();
        out.put("sealing_key_id", report.sealingKeyId());
        out.put("sessions_resealed", report.sessionsResealed());
        out.put("data_keys_rewrapped", report.dataKeysRewrapped());
        out.put("failed", report.failed());
        report.stillNeeded().forEach(out.putArray("still_needed_key_ids")::add);
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RefusalException.invalidInput(field + " must be a string");
        }
        return value.textValue();
    }
}
