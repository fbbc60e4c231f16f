package io.keytrail.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.matrix.MatrixJson;

/**
 * Parses input objects strictly: duplicate keys are an error (two values for one signed field is an
 * ambiguity an attacker could use), trailing content too, and every number must be an integer in
 * [-(2^53-1), 2^53-1], refused from its text before anything converts it (design section 11:
 * {@code 1e100000000} must not become a 100-million-digit integer).
 */
public final class JsonInput {
    private static final ObjectMapper STRICT = new ObjectMapper(MatrixJson.factory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private JsonInput() {
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MatrixJson.readTree(STRICT, text);
    }
}
