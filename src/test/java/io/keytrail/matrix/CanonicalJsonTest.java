package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

class CanonicalJsonTest {
    private static final ObjectNode VECTORS = Vectors.load("canonical-json.json");

    static Stream<Arguments> specCases() {
        return cases("cases").map(c -> Arguments.of(c.get("input_text").textValue(), c.get("expected_utf8").textValue()));
    }

    static Stream<Arguments> escapeCases() {
        return cases("escape_cases").map(c -> Arguments.of(c.get("value").textValue(), c.get("expected_utf8").textValue()));
    }

    static Stream<Arguments> objectCases() {
        return cases("object_cases").map(c -> Arguments.of(c.get("object"), c.get("expected_utf8").textValue()));
    }

    private static Stream<JsonNode> cases(String name) {
        return StreamSupport.stream(VECTORS.get(name).spliterator(), false);
    }

    @Test
    void vectorFile_hasAllTheCasesTheIndexPromises() {
        assertThat(VECTORS.get("cases")).hasSize(10);
        assertThat(VECTORS.get("escape_cases")).hasSize(14);
        assertThat(VECTORS.get("object_cases")).hasSize(2);
    }

    /**
     * Design section 11 departs from one spec example: {@code 1e10} (an exponent) is refused, as
     * matrix-rust-sdk does, so that no number is ever expanded. Every other example holds exactly.
     */
    @ParameterizedTest
    @MethodSource("specCases")
    void specExample_encodesToTheExactCanonicalBytes_exceptExponentsWhichAreRefused(String input, String expected) {
        if (input.contains("1e10")) {
            assertThatThrownBy(() -> CanonicalJson.encode(MatrixJson.parse(input))).isInstanceOf(MatrixFormatException.class)
                    .hasMessageContaining("$.b has a fraction or an exponent");
            assertThat(CanonicalJson.encode(MatrixJson.parse(input.replace("1e10", "10000000000"))))
                    .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
            return;
        }
        assertThat(CanonicalJson.encode(MatrixJson.parse(input))).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void negativeZero_isWrittenAsZero() {
        assertThat(CanonicalJson.encodeToString(MatrixJson.parse("[-0]"))).isEqualTo("[0]");
    }

    @ParameterizedTest
    @MethodSource("escapeCases")
    void stringValue_isEscapedExactlyAsTheReferenceDoes(String value, String expected) {
        assertThat(CanonicalJson.encodeToString(TextNode.valueOf(value))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("objectCases")
    void objectCase_encodesWithCodePointKeyOrder(JsonNode object, String expected) {
        assertThat(CanonicalJson.encode(object)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysAreSortedByCodePoint_notByUtf16Units() {
        assertThat(CanonicalJson.compareCodePoints("\uFB01", "\uD83D\uDCA9")).isNegative();
        assertThat("\uFB01".compareTo("\uD83D\uDCA9")).isPositive();
        assertThat(CanonicalJson.compareCodePoints("a", "ab")).isNegative();
        assertThat(CanonicalJson.compareCodePoints("", "")).isZero();
    }

    @Test
    void lineAndParagraphSeparatorsAndDelete_areWrittenRaw() {
        assertThat(CanonicalJson.encode(TextNode.valueOf("\u2028\u2029\u007f")))
                .isEqualTo("\"\u2028\u2029\u007f\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void controlCharactersInKeys_areEscapedLikeValues() {
        assertThat(CanonicalJson.encodeToString(MatrixJson.parse("{\"a\\u001fb\":[1,true,null,\"\\n\"]}")))
                .isEqualTo("{\"a\\u001fb\":[1,true,null,\"\\n\"]}");
    }

    @Test
    void nestedWhitespace_isRemoved() {
        assertThat(CanonicalJson.encodeToString(MatrixJson.parse(" { \"b\" : [ 1 , { \"d\" : 2 , \"c\" : 3 } ] , \"a\" : { } } ")))
                .isEqualTo("{\"a\":{},\"b\":[1,{\"c\":3,\"d\":2}]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740991", "-9007199254740991", "0", "-1", "42"})
    void integersInRange_areWrittenAsThemselves(String number) {
        assertThat(CanonicalJson.encodeToString(MatrixJson.parse("[" + number + "]"))).isEqualTo("[" + number + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740992", "-9007199254740992", "123456789012345678901234567890"})
    void integersOutsideTheSafeRange_areRejectedNamingThePath(String number) {
        ObjectNode json = MatrixJson.parseObject("{\"a\":{\"n\":" + number + "}}");
        assertThatThrownBy(() -> CanonicalJson.encode(json))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("$.a.n")
                .hasMessageContaining("outside the allowed integer range")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.1", "1e-3", "0.30000000000000004", "1.0", "1e2", "1E+10", "1e100000000"})
    void numbersWithAFractionOrExponent_areRejectedNamingThePath_evenWhenIntegral(String number) {
        ObjectNode json = MatrixJson.parseObject("{\"a\":{\"f\":[" + number + "]}}");
        assertThatThrownBy(() -> CanonicalJson.encode(json))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("$.a.f[0]")
                .hasMessageContaining("only integers are allowed");
    }

    @Test
    void doubleNodesBuiltInCode_areRefusedLikeParsedFractions() {
        for (JsonNode n : new JsonNode[] {DoubleNode.valueOf(1e10), DoubleNode.valueOf(-0.0), DoubleNode.valueOf(Double.NaN),
                DoubleNode.valueOf(Double.POSITIVE_INFINITY), DecimalNode.valueOf(new BigDecimal("1E+10"))}) {
            assertThatThrownBy(() -> CanonicalJson.encode(n)).isInstanceOf(MatrixFormatException.class)
                    .hasMessageContaining("only integers are allowed");
        }
    }

    @Test
    void hugeExponent_isRefusedQuickly() {
        ObjectNode json = MatrixJson.parseObject("{\"n\":1e100000000}");
        long start = System.nanoTime();
        assertThatThrownBy(() -> CanonicalJson.encode(json)).isInstanceOf(MatrixFormatException.class);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void pathInAMessage_isShortEvenUnderLongNames() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode inner = json;
        for (int i = 0; i < 50; i++) {
            inner = inner.putObject("k".repeat(1000) + i);
        }
        inner.put("n", 1.5);
        assertThatThrownBy(() -> CanonicalJson.encode(json)).isInstanceOf(MatrixFormatException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
    }

    @Test
    void unpairedSurrogate_isRejectedBecauseUtf8CannotHoldIt() {
        assertThatThrownBy(() -> CanonicalJson.encode(MatrixJson.parse("{\"k\":\"\\ud800x\"}")))
                .isInstanceOf(MatrixFormatException.class).hasMessageContaining("unpaired");
        assertThatThrownBy(() -> CanonicalJson.encode(TextNode.valueOf("\uDC00")))
                .isInstanceOf(MatrixFormatException.class);
        assertThat(CanonicalJson.encode(MatrixJson.parse("\"\\ud83d\\udca9\"")))
                .isEqualTo("\"\uD83D\uDCA9\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nodesWithoutJsonForm_areRejected() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.set("bin", BinaryNode.valueOf(new byte[] {1}));
        assertThatThrownBy(() -> CanonicalJson.encode(object))
                .isInstanceOf(MatrixFormatException.class).hasMessageContaining("$.bin");
        assertThatThrownBy(() -> CanonicalJson.encode(null)).isInstanceOf(MatrixFormatException.class);
    }
}
