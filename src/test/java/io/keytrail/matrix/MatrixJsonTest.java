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
    void integers_keepTheirExactValue() {
        JsonNode node = MatrixJson.parseObject("{\"max\":9007199254740991,\"min\":-9007199254740991,\"i\":5}");
        assertThat(node.get("max").longValue()).isEqualTo(9007199254740991L);
        assertThat(node.get("min").longValue()).isEqualTo(-9007199254740991L);
        assertThat(node.get("i").isIntegralNumber()).isTrue();
    }

    @Test
    void fractionsAndExponents_areKeptExactlyAndCheaply_forCanonicalJsonToRefuse() {
        long start = System.nanoTime();
        JsonNode node = MatrixJson.parseObject("{\"f\":1e10,\"huge\":1e100000000,\"big\":123456789012345678901234567890}");
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        assertThat(node.get("f").isBigDecimal()).isTrue();
        assertThat(node.get("huge").decimalValue().scale()).isEqualTo(-100000000);
        assertThat(node.get("big").isBigInteger()).isTrue();
    }

    @Test
    void anExponentBeyondAnInt_isAFormatError_notANumberFormatException() {
        assertThatThrownBy(() -> MatrixJson.parse("[-1e-1000000900719925474099200]"))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("exponent too large");
    }

    @Test
    void aVeryLongNumber_isRefusedByLengthWithoutQuotingIt() {
        String digits = "7".repeat(100_000);
        assertThatThrownBy(() -> MatrixJson.parseObject("{\"a\":" + digits + "}"))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining("longer than 32 characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("StreamReadConstraints"));
    }

    @Test
    void nanAndInfinity_areNotJson() {
        assertThatThrownBy(() -> MatrixJson.parse("[NaN]")).isInstanceOf(MatrixFormatException.class);
        assertThatThrownBy(() -> MatrixJson.parse("[-Infinity]")).isInstanceOf(MatrixFormatException.class);
    }
}
