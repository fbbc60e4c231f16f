package io.keytrail.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

final class JsonTrees {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonTrees() {
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object(String text) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) parse(text);
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is malformed", e);
        }
    }
}
