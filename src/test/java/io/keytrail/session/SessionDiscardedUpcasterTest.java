package io.keytrail.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Revision 1's free-string {@code reason} of a discard, read as revision 2's typed cause and code. */
class SessionDiscardedUpcasterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode upcast(String reason) throws Exception {
        return SessionDiscardedUpcaster.toRevision2(JSON.readTree("{\"roomId\":\"!r:x\",\"sessionId\":\"s\",\"reason\":"
                + JSON.writeValueAsString(reason) + ",\"rule\":\"OWNER_CHECK_MISMATCH\",\"detail\":\"d\",\"evidence\":null}"));
    }

    @Test
    void tampering_becomesCauseTampering_withoutACode_inTheFieldOrderOfRevision2() throws Exception {
        assertThat(upcast("TAMPERING").toString()).isEqualTo("{\"roomId\":\"!r:x\",\"sessionId\":\"s\","
                + "\"cause\":\"TAMPERING\",\"rule\":\"OWNER_CHECK_MISMATCH\",\"detail\":\"d\",\"evidence\":null}");
    }

    @Test
    void aRefusalCodesName_becomesAProvenMismatch_withThatCode() throws Exception {
        JsonNode read = upcast("MISMATCHED_IDENTITY_KEYS");

        assertThat(read.path("cause").asText()).isEqualTo("PROVEN_MISMATCH");
        assertThat(read.path("code").asText()).isEqualTo("MISMATCHED_IDENTITY_KEYS");
        assertThat(read.has("reason")).isFalse();
        assertThat(read.path("detail").asText()).isEqualTo("d");
    }

    @Test
    void aReasonNoWriterProduced_staysVisibleInTheDetail_insteadOfBeingLost() throws Exception {
        JsonNode read = upcast("SOMETHING_ELSE");

        assertThat(read.path("cause").asText()).isEqualTo("PROVEN_MISMATCH");
        assertThat(read.has("code")).isFalse();
        assertThat(read.path("detail").asText()).isEqualTo("d (recorded reason: SOMETHING_ELSE)");
    }
}
