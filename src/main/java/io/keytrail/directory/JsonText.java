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

    /** A value (a record of the read model, such as a device standing) as JSON text; null stays null. */
    public static String writeValue(Object value) {
        try {
            return value == null ? null : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T readValue(String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("directory holds malformed JSON", e);
        }
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
