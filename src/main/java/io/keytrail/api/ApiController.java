package io.keytrail.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;
import io.keytrail.directory.SessionView;

/**
 * HTTP API (design section 10). Bodies are read as text and parsed strictly by {@link JsonInput}, so
 * malformed JSON and duplicate keys get the same clear error as in a recording.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
public class ApiController {
    private final ObjectMapper mapper;
    private final InputProcessor processor;
    private final Keytrail keytrail;

    public ApiController(ObjectMapper mapper, InputProcessor processor, Keytrail keytrail) {
        this.mapper = mapper;
        this.processor = processor;
        this.keytrail = keytrail;
    }

    /**
     * One input object, answered with its result object (or an error and a 4xx status); or an array
     * of them, answered with an array of {@code {"result"}} / {@code {"error"}} objects in order.
     */
    @PostMapping(path = "/inputs", consumes = "application/json")
    public ResponseEntity<JsonNode> inputs(@RequestBody String body) {
        JsonNode input = parse(body);
        if (input.isArray()) {
            ArrayNode out = mapper.createArrayNode();
            input.forEach(item -> out.add(withCounts(item, Outcomes.run(mapper, processor, item))));
            return ResponseEntity.ok(out);
        }
        ObjectNode outcome = withCounts(input, Outcomes.run(mapper, processor, input));
        if (outcome.has("error")) {
            return ResponseEntity.status(statusOf(outcome.path("error").path("code").asText())).body(outcome);
        }
        return ResponseEntity.ok(outcome);
    }

    /**
     * An import's result gets {@code "counts":{"imported","failed"}}, so that a client of a big import
     * need not count the lists (the replay output keeps exactly the shape of design section 10).
     */
    private static ObjectNode withCounts(JsonNode input, ObjectNode outcome) {
        JsonNode result = outcome.get("result");
        if (result instanceof ObjectNode r && InputProcessor.IMPORT_TYPES.contains(input.path("type").asText())) {
            r.putObject("counts").put("imported", r.path("imported").size()).put("failed", r.path("failed").size());
        }
        return outcome;
    }

    /**
     * {@code {"passphrase", "rounds"?, "room_ids"?, "session_ids"?}}: a key export file of the chosen
     * sessions (all that are not discarded when neither list is given), as {@code text/plain}. Errors
     * are JSON, as everywhere else.
     */
    @PostMapping(path = "/export", consumes = "application/json",
            produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<?> export(@RequestBody String body) {
        try {
            JsonNode request = parse(body);
            ExportRequest parsed = ExportRequest.parse(request);
            KeyExportService.ExportedFile file = keytrail.exportRoomKeys(parsed.passphrase(), parsed.selection(),
                    parsed.rounds());
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                    .header("Content-Disposition", "attachment; filename=\"element-keys.txt\"")
                    .header("X-Keytrail-Session-Count", Integer.toString(file.sessionCount()))
                    .body(file.text());
        } catch (RefusalException e) {
            return ResponseEntity.status(statusOf(e.code())).contentType(MediaType.APPLICATION_JSON).body(errorBody(e));
        }
    }

    /** {@code {"room_id","policy","event"}}: the decrypt input without its type. */
    @PostMapping(path = "/decrypt", consumes = "application/json")
    public ResponseEntity<JsonNode> decrypt(@RequestBody String body) {
        JsonNode input = parse(body);
        if (!input.isObject()) {
            throw RefusalException.invalidInput("the body must be {\"room_id\",\"policy\",\"event\"}");
        }
        if (input.has("type") && !"decrypt".equals(input.get("type").textValue())) {
            throw RefusalException.invalidInput("POST /api/v1/decrypt takes a decrypt input; send "
                    + input.get("type") + " inputs to /api/v1/inputs");
        }
        ObjectNode typed = ((ObjectNode) input).deepCopy();
        typed.put("type", "decrypt");
        return inputs(typed.toString());
    }

    /**
     * A session's sender data. Session ids are base64 and may contain '/' and '+': send them
     * URL-encoded ({@code %2F}, {@code %2B}); a raw '/' works too, since the id takes the rest of the path.
     */
    @GetMapping("/sessions/{roomId}/{*sessionId}")
    public ResponseEntity<JsonNode> session(@PathVariable String roomId, @PathVariable String sessionId) {
        String id = sessionId.startsWith("/") ? sessionId.substring(1) : sessionId;
        if (id.isEmpty()) {
            throw RefusalException.invalidInput("GET /api/v1/sessions/{room_id}/{session_id}: the session id is missing");
        }
        return keytrail.session(roomId, id)
                .<ResponseEntity<JsonNode>>map(view -> ResponseEntity.ok(sessionJson(view)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(errorBody(
                        new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + id + " in " + roomId))));
    }

    /** {@code {"room_id","session_id","sender_data","imported","discarded"}}, in that order. */
    private ObjectNode sessionJson(SessionView view) {
        ObjectNode out = Views.session(mapper, view);
        boolean discarded = out.remove("discarded").booleanValue();
        out.put("imported", view.imported());
        out.put("discarded", discarded);
        return out;
    }

    private JsonNode parse(String body) {
        try {
            return JsonInput.parse(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw RefusalException.invalidInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private ObjectNode errorBody(RefusalException e) {
        ObjectNode out = mapper.createObjectNode();
        out.set("error", Outcomes.error(mapper, e));
        return out;
    }

    static HttpStatus statusOf(RefusalCode code) {
        return HttpStatus.valueOf(code.httpStatus());
    }

    /** The status of an outcome's error code (always one of ours: the outcome was built from a {@link RefusalCode}). */
    static HttpStatus statusOf(String code) {
        return statusOf(RefusalCode.valueOf(code));
    }
}
