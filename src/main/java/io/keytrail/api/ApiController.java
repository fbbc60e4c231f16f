package io.keytrail.api;

import org.springframework.http.HttpStatus;
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

import io.keytrail.intake.ErrorCodes;
import io.keytrail.intake.IntakeException;
import io.keytrail.intake.SessionView;

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
            input.forEach(item -> out.add(Outcomes.run(mapper, processor, item)));
            return ResponseEntity.ok(out);
        }
        ObjectNode outcome = Outcomes.run(mapper, processor, input);
        if (outcome.has("error")) {
            return ResponseEntity.status(statusOf(outcome.path("error").path("code").asText())).body(outcome);
        }
        return ResponseEntity.ok(outcome);
    }

    /** {@code {"room_id","policy","event"}}: the decrypt input without its type. */
    @PostMapping(path = "/decrypt", consumes = "application/json")
    public ResponseEntity<JsonNode> decrypt(@RequestBody String body) {
        JsonNode input = parse(body);
        if (!input.isObject()) {
            throw IntakeException.invalidInput("the body must be {\"room_id\",\"policy\",\"event\"}");
        }
        if (input.has("type") && !"decrypt".equals(input.get("type").textValue())) {
            throw IntakeException.invalidInput("POST /api/v1/decrypt takes a decrypt input; send "
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
            throw IntakeException.invalidInput("GET /api/v1/sessions/{room_id}/{session_id}: the session id is missing");
        }
        return keytrail.session(roomId, id)
                .<ResponseEntity<JsonNode>>map(view -> ResponseEntity.ok(sessionJson(view)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(errorBody(
                        new IntakeException(ErrorCodes.UNKNOWN_SESSION, "no session " + id + " in " + roomId))));
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
            throw IntakeException.invalidInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(IntakeException.class)
    ResponseEntity<JsonNode> onIntake(IntakeException e) {
        return ResponseEntity.status(statusOf(e.code())).body(errorBody(e));
    }

    private ObjectNode errorBody(IntakeException e) {
        ObjectNode out = mapper.createObjectNode();
        out.set("error", Outcomes.error(mapper, e));
        return out;
    }

    static HttpStatus statusOf(String code) {
        return switch (code) {
            case ErrorCodes.UNKNOWN_SESSION -> HttpStatus.NOT_FOUND;
            case ErrorCodes.SENDER_IDENTITY_NOT_TRUSTED -> HttpStatus.FORBIDDEN;
            case ErrorCodes.SESSION_DISCARDED -> HttpStatus.GONE;
            case ErrorCodes.INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case Outcomes.INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            default -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    }
}
