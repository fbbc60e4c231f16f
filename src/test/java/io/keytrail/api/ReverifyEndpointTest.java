package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.EngineSpringTest;

/** The admin re-verification runs the streaming pass and answers counts plus a bounded list of findings. */
@EngineSpringTest
class ReverifyEndpointTest {
    @LocalServerPort
    int port;

    @Test
    void reverify_answersTheWholePassCounts_andAtMostAHundredFindings() throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send("POST", "/api/v1/audit/reverify", ApiTestTokens.ADMIN, null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.path("events").isIntegralNumber()).isTrue();
        assertThat(body.path("decisions").asLong()).isEqualTo(body.path("confirmed").asLong()
                + body.path("differs").asLong() + body.path("unverifiable").asLong());
        assertThat(body.path("findings").isArray()).isTrue();
        assertThat(body.path("findings").size()).isLessThanOrEqualTo(100);
        assertThat(body.path("findings_truncated").isBoolean()).isTrue();
        assertThat(body.path("findings").size()).isEqualTo((int) Math.min(100,
                body.path("differs").asLong() + body.path("unverifiable").asLong()));
    }
}
