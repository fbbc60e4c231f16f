package io.keytrail.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Read models keep signed JSON as text, exactly as received; this turns it back into a tree. */
public final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {
    }

    public static String write(JsonNode node) {
        return node == null ? null : node.toString();
    }

    public static ObjectNode read(String text) {
        return (ObjectNode) parse(text);
    }

    public static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("directory holds malformed JSON", e);
        }
    }
}
