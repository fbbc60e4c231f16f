package io.keytrail.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.imports.ImportProgress;
import io.keytrail.errors.IntakeException;

/** Runs one input and wraps the answer as {@code {"result":…}} or {@code {"error":{"code","message"}}}. */
public final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private Outcomes() {
    }

    public static ObjectNode run(ObjectMapper mapper, InputProcessor processor, JsonNode input) {
        return run(mapper, processor, input, ImportProgress.NONE);
    }

    /** As {@link #run(ObjectMapper, InputProcessor, JsonNode)}, with progress reports of big imports. */
    public static ObjectNode run(ObjectMapper mapper, InputProcessor processor, JsonNode input,
                                 ImportProgress progress) {
        ObjectNode out = mapper.createObjectNode();
        try {
            out.set("result", processor.process(input, progress));
        } catch (IntakeException e) {
            out.set("error", error(mapper, e));
        } catch (RuntimeException e) {
            // A bug, not bad input: keep going, but say so loudly.
            log.error("input could not be processed", e);
            ObjectNode error = mapper.createObjectNode();
            error.put("code", INTERNAL_ERROR);
            error.put("message", "internal error: " + e);
            out.set("error", error);
        }
        return out;
    }

    public static ObjectNode error(ObjectMapper mapper, IntakeException e) {
        ObjectNode error = mapper.createObjectNode();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.verificationLevel() != null) {
            error.set("verification_level", e.verificationLevel());
        }
        return error;
    }
}
