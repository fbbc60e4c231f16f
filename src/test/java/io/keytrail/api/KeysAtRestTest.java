package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;
import io.keytrail.session.SessionRef;
import io.keytrail.trust.TrustPolicy;

/**
 * ADR 0012 through the running engine: forgetting a session over the admin API destroys its key material
 * (decrypt answers 410 SESSION_FORGOTTEN, copies are refused, export skips it) while its neighbour still
 * decrypts and its trail stays readable; no sealing key or data key is in the stored events or the log.
 */
@EngineSpringTest
@ExtendWith(OutputCaptureExtension.class)
class KeysAtRestTest {
    /** The test profile's sealing key (application-test.yml). */
    private static final String SEALING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    Keytrail keytrail;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    private Story received(Story story) {
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        return story;
    }

    private MvcResult call(String method, String path, String token, String body) throws Exception {
        var request = (method.equals("GET") ? get(path) : post(path)).header("Authorization", ApiTestTokens.bearer(token));
        if (body != null) {
            request = request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return mvc.perform(request).andReturn();
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return MAPPER.readTree(result.getResponse().getContentAsString());
    }

    private MvcResult forget(Story story, String reason) throws Exception {
        return call("POST", "/api/v1/admin/forget", ApiTestTokens.ADMIN, MAPPER.createObjectNode()
                .put("room_id", story.room).put("session_id", story.sessionId()).put("reason", reason)
                .put("by", "dpo").toString());
    }

    private String decryptCode(Story story, String label) {
        try {
            keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(story.encrypt(label), story.eventId(label)));
            return "DECRYPTED";
        } catch (RefusalException e) {
            return e.code().name();
        }
    }

    @Test
    void forgetOneSession_itsDecryptIs410SessionForgotten_andItsNeighbourInTheRoomStillDecrypts() throws Exception {
        Story forgotten = received(new Story());
        Story neighbour = received(new Story(forgotten));

        MvcResult answer = forget(forgotten, "erasure request");

        assertThat(answer.getResponse().getStatus()).as(answer.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(json(answer).path("forgotten").asLong()).isEqualTo(1);
        assertThat(json(answer).at("/sessions/0/data_keys_destroyed").asInt()).isEqualTo(1);
        assertThat(decryptCode(forgotten, "after")).isEqualTo("SESSION_FORGOTTEN");
        assertThat(decryptCode(neighbour, "after")).isEqualTo("DECRYPTED");
        MvcResult http = call("POST", "/api/v1/decrypt", ApiTestTokens.USER, forgotten
                .decrypt("SHOW_ALL", forgotten.encrypt("http"), forgotten.eventId("http")).toString());
        assertThat(http.getResponse().getStatus()).isEqualTo(410);
        assertThat(json(http).at("/error/code").textValue()).isEqualTo("SESSION_FORGOTTEN");
        assertThat(RefusalCode.SESSION_FORGOTTEN.httpStatus()).isEqualTo(410);
    }

    @Test
    void forgottenSessionsTrail_staysReadable_andSaysWhoWhenAndWhy() throws Exception {
        Story story = received(new Story());
        forget(story, "user left the room");

        MvcResult trail = mvc.perform(get("/api/v1/audit/history").param("room_id", story.room)
                .param("session_id", story.sessionId())
                .header("Authorization", ApiTestTokens.bearer(ApiTestTokens.USER))).andReturn();

        assertThat(trail.getResponse().getStatus()).as(trail.getResponse().getContentAsString()).isEqualTo(200);
        JsonNode events = json(trail).path("events");
        // SessionReceived, SenderKeysWanted (its device was unknown, ADR 0019), SessionForgotten
        assertThat(events).hasSize(3);
        assertThat(events.get(0).path("event").textValue()).isEqualTo("SessionReceived");
        JsonNode last = events.get(2);
        assertThat(last.path("event").textValue()).isEqualTo("SessionForgotten");
        assertThat(last.path("timestamp").textValue()).isNotEmpty();
        assertThat(last.at("/payload/by").textValue()).isEqualTo("http admin: dpo");
        assertThat(last.at("/payload/reason").textValue()).isEqualTo("user left the room");
        assertThat(keytrail.session(story.room, story.sessionId()).orElseThrow().forgotten()).isTrue();
        MvcResult view = mvc.perform(get("/api/v1/sessions/{room}/{session}", story.room, story.sessionId())
                .header("Authorization", ApiTestTokens.bearer(ApiTestTokens.USER))).andReturn();
        assertThat(json(view).path("forgotten").booleanValue()).as(view.getResponse().getContentAsString()).isTrue();
    }

    @Test
    void reReceivedRoomKeyOfAForgottenSession_isRefusedSessionForgotten() throws Exception {
        Story story = received(new Story());
        forget(story, "");

        assertThatThrownBy(() -> received(story)).isInstanceOf(RefusalException.class)
                .hasFieldOrPropertyWithValue("code", RefusalCode.SESSION_FORGOTTEN);
        assertThat(decryptCode(story, "still")).isEqualTo("SESSION_FORGOTTEN");
    }

    @Test
    void forgetTwice_forgetsOnce_unknownSessionIs404_andTheUserTokenIsForbidden() throws Exception {
        Story story = received(new Story());
        forget(story, "");

        MvcResult again = forget(story, "");
        MvcResult unknown = forget(new Story(), "");
        MvcResult asUser = call("POST", "/api/v1/admin/forget", ApiTestTokens.USER,
                MAPPER.createObjectNode().put("room_id", story.room).toString());
        MvcResult rotateAsUser = call("POST", "/api/v1/admin/rotate-key", ApiTestTokens.USER, null);

        assertThat(json(again).path("forgotten").asLong()).isZero();
        assertThat(json(again).path("already_forgotten").asLong()).isEqualTo(1);
        assertThat(unknown.getResponse().getStatus()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").textValue()).isEqualTo("UNKNOWN_SESSION");
        assertThat(asUser.getResponse().getStatus()).isEqualTo(403);
        assertThat(rotateAsUser.getResponse().getStatus()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%SessionForgotten'", Long.class,
                new SessionRef(story.room, story.sessionId()).aggregateId())).isEqualTo(1);
    }

    @Test
    void forgetARoom_forgetsEachOfItsSessions_andExportSkipsThem_sayingHowMany() throws Exception {
        Story first = received(new Story());
        Story second = received(new Story(first));
        Story elsewhere = received(new Story());

        MvcResult answer = call("POST", "/api/v1/admin/forget", ApiTestTokens.ADMIN,
                MAPPER.createObjectNode().put("room_id", first.room).toString());
        KeyExportService.ExportedFile export = keytrail.exportRoomKeys("pass",
                KeyExportService.selection(List.of(first.room, elsewhere.room), List.of()), 100_000);
        MvcResult httpExport = call("POST", "/api/v1/export", ApiTestTokens.ADMIN, MAPPER.createObjectNode()
                .put("passphrase", "pass").put("rounds", 100_000).set("room_ids", MAPPER.createArrayNode()
                        .add(first.room).add(elsewhere.room)).toString());

        assertThat(json(answer).path("forgotten").asLong()).isEqualTo(2);
        assertThat(decryptCode(second, "x")).isEqualTo("SESSION_FORGOTTEN");
        assertThat(decryptCode(elsewhere, "x")).isEqualTo("DECRYPTED");
        assertThat(export.sessionCount()).isEqualTo(1);
        assertThat(export.forgottenSkipped()).isEqualTo(2);
        assertThat(httpExport.getResponse().getHeader("X-Keytrail-Forgotten-Skipped")).isEqualTo("2");
    }

    @Test
    void noSealingKeyDataKeyOrSessionKey_inTheStoredEventsOrTheLog(CapturedOutput output) throws Exception {
        Story kept = received(new Story());
        Story shredded = received(new Story(kept));
        List<String> secrets = new ArrayList<>(List.of(SEALING_KEY, UnpaddedBase64.encode(UnpaddedBase64.decode(SEALING_KEY))
                .replace('+', '-').replace('/', '_')));
        for (Story story : List.of(kept, shredded)) {
            String aggregateId = new SessionRef(story.room, story.sessionId()).aggregateId();
            for (var row : jdbc.queryForList("select data_key_id, wrapped_key from keytrail_data_key where aggregate_id = ?",
                    aggregateId)) {
                secrets.add(UnpaddedBase64.encode(unwrap((String) row.get("data_key_id"), aggregateId,
                        (String) row.get("wrapped_key"))));
            }
            secrets.add(InboundGroupSession.fromSessionKey(story.session.sessionKey()).exportAtFirstKnownIndex().toBase64());
        }
        assertThat(secrets).hasSize(6);
        forget(shredded, "");

        List<String> payloads = jdbc.query("select payload from domain_event_entry",
                (rs, n) -> new String(rs.getBytes(1), StandardCharsets.UTF_8));
        String log = output.getAll();
        for (String secret : secrets) {
            assertThat(payloads).as("stored events").noneMatch(p -> p.contains(secret));
            assertThat(log).as("log").doesNotContain(secret);
        }
        assertThat(jdbc.queryForObject("select count(*) from keytrail_data_key where aggregate_id = ?", Long.class,
                new SessionRef(shredded.room, shredded.sessionId()).aggregateId())).isZero();
    }

    /** The test's own AES-GCM unwrap of a data key (ADR 0012's wrapping), to know what to look for. */
    private static byte[] unwrap(String dataKeyId, String aggregateId, String wrapped) throws Exception {
        String[] parts = wrapped.split(":");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(UnpaddedBase64.decode(SEALING_KEY), "AES"),
                new GCMParameterSpec(128, UnpaddedBase64.decode(parts[0])));
        cipher.updateAAD(("keytrail-data-key:" + dataKeyId + ":" + aggregateId).getBytes(StandardCharsets.UTF_8));
        byte[] key = cipher.doFinal(UnpaddedBase64.decode(parts[1]));
        assertThat(key).hasSize(32);
        return key;
    }
}
