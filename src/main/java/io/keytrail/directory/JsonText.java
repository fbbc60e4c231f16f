package io.keytrail.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Read models keep signed JSON as text, exactly as received; this turns it back into a tree. */
final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {
    }

    static String write(JsonNode node) {
        return node == null ? null : node.toString();
    }

    static ObjectNode read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("directory holds malformed JSON", e);
        }
    }
}
