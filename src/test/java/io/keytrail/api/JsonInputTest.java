package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

/** The HTTP and replay edge: hostile numbers are parse errors (INVALID_INPUT) with short messages, never a 500. */
class JsonInputTest {
    @Test
    void exponentBeyondAnInt_isAParseError() {
        assertThatThrownBy(() -> JsonInput.parse("{\"n\":-1e-1000000900719925474099200}"))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void numberOfAHundredThousandDigits_isAParseErrorThatDoesNotQuoteIt() {
        assertThatThrownBy(() -> JsonInput.parse("{\"n\":" + "4".repeat(100_000) + "}"))
                .isInstanceOfSatisfying(JsonProcessingException.class, e -> assertThat(e.getOriginalMessage())
                        .contains("longer than 32 characters").doesNotContain("4444").doesNotContain("StreamReadConstraints"));
    }

    @Test
    void hugeExponent_isReadWithoutExpanding() throws Exception {
        long start = System.nanoTime();
        assertThat(JsonInput.parse("{\"n\":1e100000000}").get("n").isBigDecimal()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void emptyText_isAMissingNode_asBefore() throws Exception {
        assertThat(JsonInput.parse("").isMissingNode()).isTrue();
    }
}
