package io.keytrail.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import io.keytrail.errors.RefusalCode;

/**
 * The OpenAPI 3 description of the HTTP API (ADR 0015), served at {@code /v3/api-docs} to the admin
 * token. The controllers read their bodies themselves (limits first, design 11), so springdoc sees
 * paths and parameters only; this class adds what the README says of each endpoint: its body, its
 * answer, the bearer security scheme and the one error shape, {@code {"error":{"code","message"}}}.
 * A new endpoint must be added here and to the README: {@code ApiDocsTest} compares the three.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {
    static final String BEARER = "bearer";
    static final String ERROR = "Error";

    /** What each endpoint is, by "METHOD path" as springdoc lists it. */
    private static final Map<String, Doc> DOCS = docs();

    private record Doc(String summary, String description, Schema<?> body, String answer) {
    }

    private static Map<String, Doc> docs() {
        Map<String, Doc> docs = new LinkedHashMap<>();
        ObjectSchema input = new ObjectSchema();
        input.description("An input object of the recording format (its \"type\" says which; README \"Recording format\")");
        input.addProperty("type", new StringSchema());
        docs.put("POST /api/v1/inputs", new Doc("Process one input, or an array of inputs",
                "One input object is answered {\"result\":{…}} or {\"error\":{…}} with its status; an array (at most"
                        + " keytrail.limits.batch-inputs) is answered 200 with an array of those, in order, streamed.",
                new Schema<>().oneOf(java.util.List.of(input, new ArraySchema().items(input))),
                "{\"result\":{…}} for one input, or an array of {\"result\"} / {\"error\"} objects"));
        ObjectSchema decrypt = new ObjectSchema();
        decrypt.addProperty("room_id", new StringSchema());
        decrypt.addProperty("policy", new StringSchema()._enum(Arrays.asList("SHOW_ALL", "CROSS_SIGNED_OR_LEGACY",
                "CROSS_SIGNED", "VERIFIED_ONLY")));
        decrypt.addProperty("event", new ObjectSchema().description("the m.room.encrypted event"));
        decrypt.required(java.util.List.of("room_id", "policy", "event"));
        docs.put("POST /api/v1/decrypt", new Doc("Decrypt a Megolm event under a policy",
                "A decrypt input (its \"type\" may be left out). 403 SENDER_IDENTITY_NOT_TRUSTED when the policy"
                        + " withholds the message.", decrypt,
                "{\"result\":{\"plaintext\",\"verification_state\",\"sender_device\"}}"));
        docs.put("GET /api/v1/sessions/{roomId}/{sessionId}", new Doc("A session's sender data",
                "URL-encode both ids (session ids may contain '/' and '+'). 404 UNKNOWN_SESSION when there is none.",
                null, "{\"room_id\",\"session_id\",\"sender_data\",\"imported\",\"discarded\"}"));
        ObjectSchema export = new ObjectSchema();
        export.addProperty("passphrase", new StringSchema());
        export.addProperty("rounds", new Schema<Integer>().type("integer").minimum(java.math.BigDecimal.valueOf(100_000))
                .maximum(java.math.BigDecimal.valueOf(10_000_000)));
        export.addProperty("room_ids", new ArraySchema().items(new StringSchema()));
        export.addProperty("session_ids", new ArraySchema().items(new StringSchema()));
        export.required(java.util.List.of("passphrase"));
        docs.put("POST /api/v1/export", new Doc("Export room keys as a key export file (admin token)",
                "The chosen sessions (all not discarded when no list is given), as text/plain.", export,
                "the key export file (text/plain)"));
        docs.put("GET /api/v1/audit/history", new Doc("A session's history",
                "Every event of the session, with time, rule and evidence. 404 UNKNOWN_SESSION when there is none.",
                null, "{\"room_id\",\"session_id\",\"events\":[…]}"));
        docs.put("GET /api/v1/audit/as-of", new Doc("What we knew at time T",
                "The session's sender data as of an ISO-8601 instant (at).", null,
                "{\"room_id\",\"session_id\",\"at\",\"sender_data\",\"discarded\",\"decided_at\"}"));
        docs.put("POST /api/v1/audit/reverify", new Doc("Re-verify every decision (admin token)",
                "Signatures checked again and each decision re-run from its recorded evidence.", null,
                "{\"decisions\",\"confirmed\",\"differs\",\"unverifiable\",\"findings\":[…]}"));
        docs.put(TRAIL, new Doc("A session's trail",
                "Every event of the session in order with time, old -> new sender data, rule, trigger and the evidence"
                        + " in words (as audit trail --json). 404 UNKNOWN_SESSION when there is none.", null,
                "{\"room_id\",\"session_id\",\"sender_data\",\"discarded\",\"events\":[…]}"));
        ObjectSchema backup = new ObjectSchema();
        backup.addProperty("decryption_key", new StringSchema().description("the backup's private key, base64"));
        backup.addProperty("room_ids", new ArraySchema().items(new StringSchema()));
        backup.addProperty("session_ids", new ArraySchema().items(new StringSchema()));
        backup.required(java.util.List.of("decryption_key"));
        docs.put("POST /api/v1/backup", new Doc("Write a key backup with MSC4048 mac2 (admin token)",
                "The chosen sessions as a key backup body, each with its sender data and an MSC4048 mac2.", backup,
                "{\"rooms\":{…}}"));
        ObjectSchema forget = new ObjectSchema();
        forget.addProperty("room_id", new StringSchema());
        forget.addProperty("session_id", new StringSchema().description("left out: the whole room"));
        forget.addProperty("reason", new StringSchema());
        forget.addProperty("by", new StringSchema());
        forget.required(java.util.List.of("room_id"));
        docs.put("POST /api/v1/admin/forget", new Doc("Forget a session or a room: crypto-shredding (admin token)",
                "Destroys the sessions' data keys for good and records SessionForgotten; the trail stays readable."
                        + " 404 UNKNOWN_SESSION when there is none.", forget,
                "{\"forgotten\",\"already_forgotten\",\"sessions\":[…]}"));
        docs.put("POST /api/v1/admin/rotate-key", new Doc("Move everything sealed onto the current sealing key (admin token)",
                "Re-wraps data keys and re-seals older values as new events; restartable.", null,
                "{\"sealing_key_id\",\"sessions_resealed\",\"data_keys_rewrapped\",\"failed\",\"still_needed_key_ids\"}"));
        docs.put("POST /api/v1/admin/rebuild", new Doc("Rebuild the read models from the events (admin token)",
                "Empties the directory tables and replays every event through the projection, in one transaction;"
                        + " inputs wait meanwhile.", null,
                "{\"rebuilt\":{\"events\",\"sessions\",\"devices\",\"identities\",\"millis\"}}"));
        return docs;
    }

    /**
     * A session's trail shares the session endpoint's handler (the session id may hold '/', so the handler
     * takes the rest of the path); it is described as the path of its own that it is for a caller.
     */
    private static final String TRAIL_PATH = "/api/v1/sessions/{roomId}/{sessionId}/trail";
    private static final String TRAIL = "GET " + TRAIL_PATH;

    @Bean
    OpenAPI keytrailOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Keytrail HTTP API").version("v1")
                        .description("Decides, stores and explains the sender data of Matrix Megolm sessions. Every call"
                                + " needs 'Authorization: Bearer <token>': the user token (inputs, decrypt, sessions,"
                                + " history, as-of) or the admin token (everything). Errors are one JSON shape."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("keytrail.api.token (user) or keytrail.api.admin-token (admin)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** {"error":{"code","message"}}: every error answer of every endpoint (design 10, ADR 0010). */
    private static Schema<?> errorBody() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("code", new StringSchema()._enum(Arrays.stream(RefusalCode.values()).map(Enum::name).toList()));
        error.addProperty("message", new StringSchema());
        error.addProperty("verification_level", new Schema<>().description("SENDER_IDENTITY_NOT_TRUSTED only:"
                + " matrix-rust-sdk's verification level"));
        error.required(java.util.List.of("code", "message"));
        ObjectSchema body = new ObjectSchema();
        body.addProperty("error", error);
        body.required(java.util.List.of("error"));
        return body;
    }

    /** Bodies, answers and the error responses of every operation; the session path named as in the README. */
    @Bean
    OpenApiCustomizer keytrailOperations() {
        return api -> {
            api.getComponents().addSchemas(ERROR, errorBody());
            Paths renamed = new Paths();
            api.getPaths().forEach((path, item) -> renamed.addPathItem(path.replace("{*sessionId}", "{sessionId}")
                    .replace("/**", "/{sessionId}"), item));
            PathItem session = renamed.get("/api/v1/sessions/{roomId}/{sessionId}");
            if (session != null && session.getGet() != null) {
                Operation trail = new Operation().operationId("sessionTrail").tags(session.getGet().getTags())
                        .parameters(session.getGet().getParameters());
                renamed.addPathItem(TRAIL_PATH, new PathItem().get(trail));
            }
            api.setPaths(renamed);
            renamed.forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    describe(method + " " + path, operation)));
        };
    }

    private static void describe(String key, Operation operation) {
        Doc doc = DOCS.get(key);
        if (doc != null) {
            operation.summary(doc.summary()).description(doc.description());
            if (doc.body() != null) {
                operation.requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType("application/json", new MediaType().schema(doc.body()))));
            }
        }
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse().description(doc == null ? "OK" : doc.answer()));
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "INVALID_INPUT");
        errors.put("401", "UNAUTHORIZED: no valid bearer token");
        errors.put("403", "FORBIDDEN (the user token on an admin operation) or SENDER_IDENTITY_NOT_TRUSTED");
        errors.put("404", "UNKNOWN_SESSION");
        errors.put("410", "SESSION_DISCARDED or SESSION_FORGOTTEN");
        errors.put("413", "TOO_LARGE: a body or an array over its limit");
        errors.put("422", "the input was refused (README \"Error codes\")");
        errors.put("503", "UNAVAILABLE: not processed, send it again");
        errors.forEach((status, text) -> responses.addApiResponse(status, new ApiResponse().description(text)
                .content(new Content().addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))))));
        operation.responses(responses);
        operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** For tests: the operations this class describes. */
    static java.util.Set<String> describedOperations() {
        return DOCS.keySet();
    }
}
