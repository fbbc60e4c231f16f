package io.keytrail.audit;

import io.keytrail.errors.RefusalException;

import io.keytrail.errors.RefusalCode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.trust.SenderDataJson;

/**
 * The audit trail over HTTP. Sessions are named by query parameters, so session ids with {@code /}
 * and {@code +} need only ordinary URL encoding.
 */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = "application/json")
public class AuditController {
    private final AuditTrail trail;
    private final StoreVerifier verifier;
    private final ObjectMapper mapper;

    public AuditController(AuditTrail trail, StoreVerifier verifier, ObjectMapper mapper) {
        this.trail = trail;
        this.verifier = verifier;
        this.mapper = mapper;
    }

    /** Every event of the session, with rule and evidence; 404 when there is none. */
    @GetMapping("/history")
    public ResponseEntity<JsonNode> history(@RequestParam("room_id") String roomId,
                                            @RequestParam("session_id") String sessionId) {
        List<ObjectNode> events = trail.history(roomId, sessionId);
        if (events.isEmpty()) {
            return notFound(roomId, sessionId);
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("room_id", roomId);
        out.put("session_id", sessionId);
        out.putArray("events").addAll(events);
        return ResponseEntity.ok(out);
    }

    /** What we knew at {@code at} (ISO-8601 instant). */
    @GetMapping("/as-of")
    public ResponseEntity<JsonNode> asOf(@RequestParam("room_id") String roomId,
                                         @RequestParam("session_id") String sessionId, @RequestParam("at") String at) {
        Instant instant;
        try {
            instant = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw RefusalException.invalidInput("at must be an ISO-8601 instant");
        }
        return trail.asOf(roomId, sessionId, instant).<ResponseEntity<JsonNode>>map(k -> {
            ObjectNode out = mapper.createObjectNode();
            out.put("room_id", roomId);
            out.put("session_id", sessionId);
            out.put("at", at);
            out.set("sender_data", SenderDataJson.write(k.senderData()));
            out.put("discarded", k.discarded());
            out.put("decided_at", k.decidedAt().toString());
            return ResponseEntity.ok(out);
        }).orElseGet(() -> notFound(roomId, sessionId));
    }

    /** At most this many findings are listed in the answer; the counts cover every decision. */
    static final int LISTED_FINDINGS = 100;

    /**
     * Re-verifies every decision in the store, streaming it ({@link StoreVerifier}, bounded memory): the counts
     * of the whole pass and the first {@value #LISTED_FINDINGS} decisions that differ or cannot be verified
     * ({@code findings_truncated} says whether more were left out; {@code audit verify} lists them all).
     */
    @PostMapping("/reverify")
    public JsonNode reverify() {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode findings = mapper.createArrayNode();
        long[] left = new long[1];
        StoreVerifier.Summary summary = verifier.verify(f -> {
            if (f.verdict() != DecisionReverifier.Verdict.CONFIRMED) {
                if (findings.size() < LISTED_FINDINGS) {
                    findings.add(mapper.valueToTree(f));
                } else {
                    left[0]++;
                }
            }
        }, StoreVerifier.Progress.NONE);
        out.put("events", summary.events());
        out.put("decisions", summary.decisions());
        out.put("confirmed", summary.confirmed());
        out.put("differs", summary.differs());
        out.put("unverifiable", summary.unverifiable());
        out.set("findings", findings);
        out.put("findings_truncated", left[0] > 0);
        return out;
    }

    private ResponseEntity<JsonNode> notFound(String roomId, String sessionId) {
        throw new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + sessionId + " in " + roomId);
    }
}
