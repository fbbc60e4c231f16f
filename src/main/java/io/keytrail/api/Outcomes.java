package io.keytrail.api;

import io.keytrail.errors.RefusalCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.imports.ImportProgress;
import io.keytrail.errors.RefusalException;

/** Runs one input and wraps the answer as {@code {"result":…}} or {@code {"error":{"code","message"}}}. */
public final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private Outcomes() {
    }

    public static ObjectNode run(ObjectMapper mapper, InputProcessor processor, JsonNode input) {
        return run(mapper, processor, input, ImportProgress.NONE);
    }

    /** As {@link #run(ObjectMapper, InputProcessor, JsonNode)}, with progress reports of big imports. */
    public static ObjectNode run(ObjectMapper mapper, InputProcessor processor, JsonNode input,
                                 ImportProgress progress) {
        try {
            return result(mapper, processor.process(input, progress));
        } catch (RuntimeException e) {
            return failure(mapper, e);
        }
    }

    /** {@code {"result":…}}. */
    static ObjectNode result(ObjectMapper mapper, ObjectNode result) {
        ObjectNode out = mapper.createObjectNode();
        out.set("result", result);
        return out;
    }

    /** {@code {"error":…}} for a refusal, or for a failure that is a bug (logged, answered INTERNAL_ERROR). */
    static ObjectNode failure(ObjectMapper mapper, RuntimeException e) {
        ObjectNode out = mapper.createObjectNode();
        if (e instanceof RefusalException refusal) {
            out.set("error", error(mapper, refusal));
            return out;
        }
        // A bug, not bad input: keep going, but say so loudly.
        log.error("input could not be processed", e);
        ObjectNode error = mapper.createObjectNode();
        error.put("code", RefusalCode.INTERNAL_ERROR.name());
        error.put("message", "internal error: the input could not be processed; the service log has the details");
        out.set("error", error);
        return out;
    }

    public static ObjectNode error(ObjectMapper mapper, RefusalException e) {
        ObjectNode error = mapper.createObjectNode();
        error.put("code", e.code().name());
        error.put("message", e.getMessage());
        if (e.verificationLevel() != null) {
            error.set("verification_level", e.verificationLevel());
        }
        return error;
    }
}
