package io.keytrail.api;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;
import io.keytrail.directory.SessionView;

/**
 * HTTP API (design sections 10 and 11). Bodies are read as bytes within their limit, decoded strictly
 * as UTF-8 and parsed strictly by {@link JsonInput} ({@link RequestBodies}), so invalid UTF-8, malformed
 * JSON and duplicate keys get the same clear error as in a recording.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
public class ApiController {
    private static final Logger log = LoggerFactory.getLogger(ApiController.class);
    private final ObjectMapper mapper;
    private final InputProcessor processor;
    private final Keytrail keytrail;
    private final HttpLimits limits;
    private final ShutdownSignal shutdown;

    ApiController(ObjectMapper mapper, InputProcessor processor, Keytrail keytrail, HttpLimits limits,
                  ShutdownSignal shutdown) {
        this.mapper = mapper;
        this.processor = processor;
        this.keytrail = keytrail;
        this.limits = limits;
        this.shutdown = shutdown;
    }

    /**
     * One input object, answered with its result object (or an error and a 4xx status); or an array
     * of them, answered with an array of {@code {"result"}} / {@code {"error"}} objects in order,
     * streamed as each input is done (a client that leaves stops the batch at the next input).
     */
    @PostMapping(path = "/inputs", consumes = "application/json")
    public ResponseEntity<JsonNode> inputs(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byte[] bytes = RequestBodies.bytes(request);
        JsonNode input = RequestBodies.parse(RequestBodies.text(bytes));
        checkLimits(input, bytes.length);
        if (input.isArray()) {
            streamBatch(input, response);
            return null;
        }
        return single(input);
    }

    private ResponseEntity<JsonNode> single(JsonNode input) {
        ObjectNode outcome = withCounts(input, Outcomes.run(mapper, processor, input));
        if (outcome.has("error")) {
            return ResponseEntity.status(statusOf(outcome.path("error").path("code").asText())).body(outcome);
        }
        return ResponseEntity.ok(outcome);
    }

    private void streamBatch(JsonNode inputs, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        JsonGenerator out = mapper.getFactory().createGenerator(response.getOutputStream());
        out.writeStartArray();
        // Runs of room keys are decided and written together (ADR 0017); answers still stream in order.
        InputBatch.Result result = InputBatch.runGroups(InputProcessor.groups(inputs), group -> {
                    List<ObjectNode> outcomes = processor.processAll(group);
                    for (int i = 0; i < outcomes.size(); i++) {
                        withCounts(group.get(i), outcomes.get(i));
                    }
                    return outcomes;
                }, shutdown::stopping, outcome -> {
                    out.writeTree(outcome);
                    out.flush();
                    response.flushBuffer();
                });
        if (result.clientGone()) {
            log.info("client left during a batch of {} inputs; stopped after {}", inputs.size(), result.processed());
            return;
        }
        out.writeEndArray();
        out.close();
    }

    /**
     * Design 11: a body over {@code keytrail.limits.body} must hold an import input (those alone may be
     * up to {@code keytrail.limits.import-body}), and an array has at most
     * {@code keytrail.limits.batch-inputs} inputs. Checked before any input runs.
     */
    private void checkLimits(JsonNode input, long bodyBytes) {
        if (input.isArray() && input.size() > limits.batchInputs()) {
            throw new RefusalException(RefusalCode.TOO_LARGE, "an array of " + input.size() + " inputs; at most "
                    + limits.batchInputs() + " in one request (keytrail.limits.batch-inputs): send several requests");
        }
        if (bodyBytes > limits.body().toBytes() && !containsImport(input)) {
            throw new RefusalException(RefusalCode.TOO_LARGE, "the request body is larger than "
                    + limits.body().toBytes() + " bytes (keytrail.limits.body); only bodies with import inputs may be"
                    + " up to " + limits.importBody().toBytes() + " bytes (keytrail.limits.import-body)");
        }
    }

    private static boolean containsImport(JsonNode input) {
        if (input.isArray()) {
            for (JsonNode item : input) {
                if (InputProcessor.IMPORT_TYPES.contains(item.path("type").asText())) {
                    return true;
                }
            }
            return false;
        }
        return InputProcessor.IMPORT_TYPES.contains(input.path("type").asText());
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
    public ResponseEntity<?> export(HttpServletRequest request) {
        try {
            ExportRequest parsed = ExportRequest.parse(RequestBodies.json(request));
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
    public ResponseEntity<JsonNode> decrypt(HttpServletRequest request) {
        JsonNode input = RequestBodies.json(request);
        if (!input.isObject()) {
            throw RefusalException.invalidInput("the body must be {\"room_id\",\"policy\",\"event\"}");
        }
        if (input.has("type") && !"decrypt".equals(input.get("type").textValue())) {
            throw RefusalException.invalidInput("POST /api/v1/decrypt takes a decrypt input; send "
                    + input.get("type") + " inputs to /api/v1/inputs");
        }
        ObjectNode typed = ((ObjectNode) input).deepCopy();
        typed.put("type", "decrypt");
        return single(typed);
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
