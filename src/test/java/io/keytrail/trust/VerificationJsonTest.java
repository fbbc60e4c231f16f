package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class VerificationJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UNVERIFIED_IDENTITY    | \"UnverifiedIdentity\"",
        "VERIFICATION_VIOLATION | \"VerificationViolation\"",
        "UNSIGNED_DEVICE        | \"UnsignedDevice\"",
        "NONE_MISSING_DEVICE    | {\"None\":\"MissingDevice\"}",
        "NONE_INSECURE_SOURCE   | {\"None\":\"InsecureSource\"}",
        "MISMATCHED_SENDER      | \"MismatchedSender\""
    })
    void everyLevel_writesAndReadsUpstreamJson(VerificationLevel level, String json) throws IOException {
        assertThat(MAPPER.writeValueAsString(level)).isEqualTo(json);
        assertThat(MAPPER.readValue(json, VerificationLevel.class)).isEqualTo(level);

        String state = "{\"Unverified\":" + json + "}";
        assertThat(MAPPER.writeValueAsString(VerificationState.unverified(level))).isEqualTo(state);
        assertThat(MAPPER.readValue(state, VerificationState.class)).isEqualTo(VerificationState.unverified(level));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Verified\"", "\"Trusted\""})
    void verified_writesAsStringAndReadsOldAlias(String json) throws IOException {
        assertThat(MAPPER.writeValueAsString(VerificationState.VERIFIED)).isEqualTo("\"Verified\"");
        assertThat(MAPPER.readValue(json, VerificationState.class)).isEqualTo(VerificationState.VERIFIED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"Untrusted\"                                 | UNSIGNED_DEVICE",
        "\"UnknownDevice\"                             | NONE_MISSING_DEVICE",
        "{\"Unverified\":\"PreviouslyVerified\"}       | VERIFICATION_VIOLATION"
    })
    void oldStateNames_readAsUpstreamDoes(String json, VerificationLevel level) throws IOException {
        assertThat(MAPPER.readValue(json, VerificationState.class)).isEqualTo(VerificationState.unverified(level));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Unsure\"", "{\"None\":\"Gone\"}", "{\"Unverified\":\"Verified\"}", "{}", "42",
        "{\"Unverified\":{\"None\":\"MissingDevice\"},\"x\":1}"})
    void unknownStates_areRejectedClearly(String json) {
        assertThatThrownBy(() -> MAPPER.readValue(json, VerificationState.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("verification");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Verified\"", "{\"None\":\"Gone\"}", "{\"None\":\"MissingDevice\",\"x\":1}", "null"})
    void unknownLevels_areRejectedClearly(String json) {
        assertThatThrownBy(() -> VerificationJson.readLevel(MAPPER.readTree(json)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown verification level");
    }
}
