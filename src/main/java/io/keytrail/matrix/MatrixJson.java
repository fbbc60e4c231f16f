package io.keytrail.matrix;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one strict Jackson configuration for Matrix input.
 *
 * <ul>
 *   <li>Duplicate object keys are rejected: two parsers that keep different copies of a duplicated
 *       {@code keys} entry would verify one object and use another.</li>
 *   <li>Floats are read as {@link java.math.BigDecimal} and big integers as {@link java.math.BigInteger},
 *       so that {@link CanonicalJson} sees the exact number that was sent and can apply the spec's
 *       integer rules instead of whatever a {@code double} rounds to.</li>
 *   <li>Trailing content after the first value is an error.</li>
 * </ul>
 * Error messages never quote the input (it may hold secret session keys), only the position.
 */
public final class MatrixJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectReader READER = MAPPER.reader();

    private MatrixJson() {
    }

    /** The shared mapper. Thread-safe; do not reconfigure it (use {@link ObjectMapper#copy()} for that). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses any JSON value strictly; throws {@link MatrixFormatException} for malformed JSON. */
    public static JsonNode parse(String json) {
        if (json == null) {
            throw new MatrixFormatException("malformed JSON: no input");
        }
        try {
            JsonNode node = READER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new MatrixFormatException("malformed JSON: empty input");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MatrixFormatException("malformed JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON object strictly; anything else (array, string, malformed text) is a {@link MatrixFormatException}. */
    public static ObjectNode parseObject(String json) {
        JsonNode node = parse(json);
        if (!(node instanceof ObjectNode object)) {
            throw new MatrixFormatException("expected a JSON object, got " + describe(node));
        }
        return object;
    }

    /** A short name for a node's type, for error messages ("a string", "an array", ...). */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase();
        };
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
