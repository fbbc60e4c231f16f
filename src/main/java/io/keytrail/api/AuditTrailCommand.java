package io.keytrail.api;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.SessionTrail;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code audit trail ROOM SESSION_ID [--store DIR] [--json]}: one session's story ({@link SessionTrail}),
 * as text for a person or as one JSON object (the same as {@code GET /api/v1/sessions/{room}/{session}/trail}).
 */
@Command(name = "trail", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar audit trail ROOM SESSION_ID [--store DIR] [--json]",
        description = {"Tells one session's story: every event in order with its time, the sender data before and "
                + "after, the rule, the trigger and the evidence in words.",
                "See README.md, section \"Auditing a store\"."},
        footerHeading = "%n", footer = {"Exit status: 0 done; 1 the engine failed; 2 a usage error, a store that "
                + "cannot be used, or no such session in the store."})
final class AuditTrailCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ROOM", description = "the room id, e.g. '!quickstart:example.org'")
    String roomId;

    @Parameters(index = "1", paramLabel = "SESSION_ID", description = "the Megolm session id")
    String sessionId;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:KEYTRAIL_DATA_DIR:-data}",
            description = "the store (default: $KEYTRAIL_DATA_DIR, else ./data)")
    Path store;

    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    private final KeytrailCli.Io io;

    AuditTrailCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        return CliContext.onStore("audit trail", store, io, (context, out) -> {
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            ObjectNode trail = context.getBean(SessionTrail.class).of(roomId, sessionId).orElseThrow(() ->
                    new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + sessionId + " in " + roomId
                            + " in this store"));
            if (json) {
                out.println(mapper.writeValueAsString(trail));
            } else {
                text(trail, out);
            }
            return KeytrailCli.OK;
        });
    }

    static void text(JsonNode trail, PrintWriter out) {
        out.println(trail.path("room_id").asText() + " " + trail.path("session_id").asText() + ": "
                + state(trail.path("sender_data")) + (trail.path("discarded").asBoolean() ? ", DISCARDED" : ""));
        for (JsonNode step : trail.path("events")) {
            StringBuilder line = new StringBuilder().append('#').append(step.path("sequence").asLong()).append(' ')
                    .append(step.path("time").asText()).append(' ').append(step.path("event").asText()).append("  ")
                    .append(step.path("change").asText());
            if (step.has("rule")) {
                line.append("  [rule ").append(step.path("rule").asText());
                if (step.has("step")) {
                    line.append(", step ").append(step.path("step").asText());
                }
                if (step.has("trigger")) {
                    line.append(", trigger ").append(step.path("trigger").asText());
                }
                line.append(']');
            }
            out.println(line);
            if (step.has("detail")) {
                out.println("    " + step.path("detail").asText());
            }
            for (JsonNode words : step.path("evidence")) {
                out.println("    - " + words.asText());
            }
        }
    }

    private static String state(JsonNode senderData) {
        if (senderData.isTextual()) {
            return senderData.asText();
        }
        return senderData.fieldNames().hasNext() ? senderData.fieldNames().next() : senderData.toString();
    }
}
