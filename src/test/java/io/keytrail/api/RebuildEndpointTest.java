package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.EngineSpringTest;

/** {@code POST /api/v1/admin/rebuild}: an admin operation that answers what it rebuilt (ADR 0013). */
@EngineSpringTest
class RebuildEndpointTest {
    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theUserToken_mayNotRebuild() throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send("POST", "/api/v1/admin/rebuild", ApiTestTokens.USER, null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void theAdminToken_rebuilds_andTheAnswerCountsTheEventsAndTheRowsOfTheRebuiltModel() throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send("POST", "/api/v1/admin/rebuild", ApiTestTokens.ADMIN, null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode rebuilt = answer.json().path("rebuilt");
        assertThat(rebuilt.path("events").asLong()).isEqualTo(count("domain_event_entry"));
        assertThat(rebuilt.path("sessions").asLong()).isEqualTo(count("kt_session"));
        assertThat(rebuilt.path("devices").asLong()).isEqualTo(count("kt_device"));
        assertThat(rebuilt.path("identities").asLong()).isEqualTo(count("kt_identity"));
        assertThat(rebuilt.has("millis")).isTrue();
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}
