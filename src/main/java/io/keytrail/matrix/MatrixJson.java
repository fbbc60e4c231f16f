package io.keytrail.matrix;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
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
 *   <li>A number token longer than {@link Bounds#MAX_NUMBER_CHARS} characters is refused while it is
 *       read. Shorter ones are kept exactly (a fraction or exponent as a BigDecimal, which
 *       {@code 1e100000000} is cheaply); {@link CanonicalJson} then refuses any that is not an
 *       integer in range from the node's type and bit length, without converting it (design
 *       section 11). Refusing there, not here, keeps a bad number inside one device of a
 *       {@code /keys/query} response from failing the whole response.</li>
 * </ul>
 * Error messages never quote the input (it may hold secret session keys), only the position.
 */
public final class MatrixJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(factory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MatrixJson() {
    }

    /**
     * A JSON factory whose parsers refuse number tokens longer than {@link Bounds#MAX_NUMBER_CHARS}
     * (Jackson's own check, while the token is read), refuse NaN and Infinity, and do not quote input
     * in error locations. Every mapper that reads untrusted input is built on it.
     */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Bounds.MAX_NUMBER_CHARS).build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    /**
     * Reads one JSON value with {@code mapper}'s settings (a mapper on {@link #factory()}). Jackson's
     * own limit errors come back as plain parse errors with a short message that names no class.
     */
    public static JsonNode readTree(ObjectMapper mapper, String text) throws JsonProcessingException {
        try (JsonParser parser = mapper.createParser(text)) {
            JsonNode node = mapper.readTree(parser);
            return node == null ? MissingNode.getInstance() : node;
        } catch (StreamConstraintsException e) {
            throw new JsonParseException(null, limitMessage(e));
        } catch (NumberFormatException e) {
            // Jackson lets this escape for an exponent beyond an int (1e-10000009007199254740992).
            throw new JsonParseException(null, "a number has an exponent too large to read; only integers in "
                    + "[-(2^53-1), 2^53-1] are allowed");
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new JsonParseException(null, "unreadable JSON");
        }
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
            JsonNode node = readTree(MAPPER, json);
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

    /** Jackson's limit messages name its own classes; ours say which limit in words. */
    private static String limitMessage(StreamConstraintsException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Number")) {
            return "a number is longer than " + Bounds.MAX_NUMBER_CHARS
                    + " characters; only integers in [-(2^53-1), 2^53-1] are allowed";
        }
        if (original.contains("nesting depth")) {
            return "the JSON is nested too deeply";
        }
        return "a string or name in the JSON is too long";
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
