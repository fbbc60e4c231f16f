package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

class MatrixJsonTest {

    @Test
    void duplicateKeys_areRejectedEvenWhenNested() {
        assertThatThrownBy(() -> MatrixJson.parseObject("{\"a\":1,\"a\":2}"))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("malformed JSON at line 1")
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> MatrixJson.parseObject("{\"keys\":{\"ed25519:A\":\"x\",\"ed25519:A\":\"y\"}}"))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("ed25519:A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "{\"a\":1}}", "{} {}", "[1,]", "{'a':1}", "", "   "})
    void malformedJson_isAFormatErrorNotAJacksonException(String text) {
        assertThatThrownBy(() -> MatrixJson.parseObject(text))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    @Test
    void nullInput_isAFormatError() {
        assertThatThrownBy(() -> MatrixJson.parse(null)).isInstanceOf(MatrixFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "1", "null", "true"})
    void nonObjectTopLevel_isRejectedByParseObject(String text) {
        assertThatThrownBy(() -> MatrixJson.parseObject(text))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageStartingWith("expected a JSON object, got ");
    }

    @Test
    void errorMessages_doNotQuoteTheInput() {
        String secret = "AgAAAAAwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3";
        assertThatThrownBy(() -> MatrixJson.parseObject("{\"session_key\":\"" + secret + "\",}"))
                .isInstanceOf(MatrixFormatException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }

    @Test
    void numbers_keepTheirExactValue() {
        JsonNode node = MatrixJson.parseObject("{\"f\":1e10,\"big\":123456789012345678901234567890,\"i\":5}");
        assertThat(node.get("f").isBigDecimal()).isTrue();
        assertThat(node.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(node.get("i").isIntegralNumber()).isTrue();
    }
}
