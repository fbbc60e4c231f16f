package io.keytrail.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.keytrail.audit.SessionTrail;
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
    private final SessionTrail trail;

    ApiController(ObjectMapper mapper, InputProcessor processor, Keytrail keytrail, HttpLimits limits,
                  ShutdownSignal shutdown, SessionTrail trail) {
        this.mapper = mapper;
        this.trail = trail;
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
        // Runs of room keys are decided and written together (ADR 0017), runs of decrypts decrypted together
        // (ADR 0021); answers still stream in order.
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
            ObjectNode counts = r.putObject("counts").put("imported", r.path("imported").size())
                    .put("failed", r.path("failed").size());
            int badMacs = 0;
            for (JsonNode entry : r.path("imported")) {
                badMacs += "invalid".equals(entry.path("backup_mac").asText()) ? 1 : 0;
            }
            if (badMacs > 0) {
                counts.put("bad_backup_mac", badMacs);
            }
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
    public ResponseEntity<?> export(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The file is written to a spool file (owner-only, deleted when answered), not to memory: an
        // export of every session is bounded by the disk, not the heap, and the counts are headers, which
        // must be known before the body starts. The spool holds only the encrypted file.
        Path spool = Files.createTempFile("keytrail-export-", ".txt");
        try {
            ExportRequest parsed = ExportRequest.parse(RequestBodies.json(request));
            KeyExportService.Written written;
            try (OutputStream out = Files.newOutputStream(spool)) {
                written = keytrail.exportRoomKeys(parsed.passphrase(), parsed.selection(), parsed.rounds(), out);
            }
            response.setStatus(HttpStatus.OK.value());
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setHeader("Content-Disposition", "attachment; filename=\"element-keys.txt\"");
            response.setHeader("X-Keytrail-Session-Count", Integer.toString(written.sessions()));
            response.setHeader("X-Keytrail-Forgotten-Skipped", Integer.toString(written.forgottenSkipped()));
            response.setContentLengthLong(Files.size(spool));
            try (OutputStream body = response.getOutputStream()) {
                Files.copy(spool, body);
            }
            return null;
        } catch (RefusalException e) {
            return ResponseEntity.status(statusOf(e.code())).contentType(MediaType.APPLICATION_JSON).body(errorBody(e));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static final java.util.Set<String> BACKUP_FIELDS = java.util.Set.of("decryption_key", "room_ids",
            "session_ids");

    /**
     * {@code {"decryption_key", "room_ids"?, "session_ids"?}}: a key backup of the chosen sessions, the
     * {@code PUT /room_keys/keys} body, each entry with an MSC4048 {@code mac2} and our sender data (ADR
     * 0018). An admin operation: the decryption key opens every session of the backup.
     */
    @PostMapping(path = "/backup", consumes = "application/json")
    public ResponseEntity<JsonNode> backup(HttpServletRequest request) {
        JsonNode body = RequestBodies.json(request);
        if (body == null || !body.isObject()) {
            throw RefusalException.invalidInput("the body must be {\"decryption_key\", \"room_ids\"?, \"session_ids\"?}");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!BACKUP_FIELDS.contains(field)) {
                throw RefusalException.invalidInput("unknown field \"" + field + "\" in a backup request; expected "
                        + BACKUP_FIELDS);
            }
        });
        JsonNode key = body.get("decryption_key");
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            throw RefusalException.invalidInput("\"decryption_key\" is required: the backup's recovery key or base64"
                    + " private key");
        }
        KeyExportService.WrittenBackup backup = keytrail.writeBackup(key.textValue(), new KeyExportService.Selection(
                ExportRequest.strings(body, "room_ids"), ExportRequest.strings(body, "session_ids")));
        return ResponseEntity.ok().header("X-Keytrail-Session-Count", Integer.toString(backup.sessionCount()))
                .body(backup.body());
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
     * {@code …/{session_id}/trail} is the session's trail ({@link SessionTrail}): the id takes the rest of the
     * path, so the trail is told apart by that suffix. No session id ends in {@code /trail}: an id is the
     * 43-character unpadded base64 of an Ed25519 key, whose last character is never {@code l}.
     */
    @GetMapping("/sessions/{roomId}/{*sessionId}")
    public ResponseEntity<JsonNode> session(@PathVariable String roomId, @PathVariable String sessionId) {
        String id = sessionId.startsWith("/") ? sessionId.substring(1) : sessionId;
        if (id.endsWith(TRAIL) && id.length() > TRAIL.length()) {
            return trail(roomId, id.substring(0, id.length() - TRAIL.length()));
        }
        if (id.isEmpty()) {
            throw RefusalException.invalidInput("GET /api/v1/sessions/{room_id}/{session_id}: the session id is missing");
        }
        return keytrail.session(roomId, id)
                .<ResponseEntity<JsonNode>>map(view -> ResponseEntity.ok(sessionJson(view)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(errorBody(
                        new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + id + " in " + roomId))));
    }

    private static final String TRAIL = "/trail";

    /** Every event of the session with rule, trigger and evidence in words; 404 {@code UNKNOWN_SESSION} if none. */
    private ResponseEntity<JsonNode> trail(String roomId, String sessionId) {
        return ResponseEntity.ok(trail.of(roomId, sessionId).orElseThrow(() ->
                new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + sessionId + " in " + roomId)));
    }

    /**
     * {@code {"room_id","session_id","sender_data","claimed_owner"?,"imported","discarded"}}, in that order,
     * then {@code "forgotten":true} for a forgotten session.
     */
    private ObjectNode sessionJson(SessionView view) {
        ObjectNode out = Views.session(mapper, view);
        boolean discarded = out.remove("discarded").booleanValue();
        JsonNode forgotten = out.remove("forgotten");
        out.put("imported", view.imported());
        out.put("discarded", discarded);
        if (forgotten != null) {
            out.set("forgotten", forgotten);
        }
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
