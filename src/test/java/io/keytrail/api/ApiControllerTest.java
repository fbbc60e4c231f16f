package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * The HTTP API over a real Tomcat on a random loopback port (encoded slashes in paths are a Tomcat
 * matter, so no MockMvc): every answer is JSON, every 4xx carries an error code.
 */
@EngineSpringTest
class ApiControllerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    record Answer(int status, String contentType, JsonNode body) {
        String code() {
            return body.at("/error/code").textValue();
        }
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.header("Authorization", ApiTestTokens.bearer(ApiTestTokens.USER));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    private Answer post(String path, String body, String contentType) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer post(String path, Object body) throws IOException, InterruptedException {
        return post(path, body.toString(), "application/json");
    }

    /** {@code rawPath} goes on the wire exactly as written (URI.create does not re-encode). */
    private Answer get(String rawPath) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath)).GET());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A session whose sender's keys are known (SenderUnverified). */
    private Story knownSession() throws IOException, InterruptedException {
        Story story = new Story();
        assertThat(post("/api/v1/inputs", story.roomKey()).status()).isEqualTo(200);
        assertThat(post("/api/v1/inputs", story.keysQuery()).status()).isEqualTo(200);
        return story;
    }

    private static ObjectNode decryptBody(Story story, String policy, String ciphertext, String eventId) {
        ObjectNode body = story.decrypt(policy, ciphertext, eventId);
        body.remove("type");
        return body;
    }

    @Test
    void postInputs_singleObject_answersItsResultObject() throws Exception {
        Story story = new Story();

        Answer answer = post("/api/v1/inputs", story.roomKey());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(names(answer.body())).containsExactly("result");
        assertThat(names(answer.body().get("result"))).containsExactly("room_id", "session_id", "sender_data");
        assertThat(answer.body().at("/result/session_id").textValue()).isEqualTo(story.sessionId());
        assertThat(answer.body().at("/result/sender_data").toString())
                .isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
    }

    @Test
    void postInputs_array_answersOneOutcomePerInput_inOrder_evenWhenOneFails() throws Exception {
        Story story = new Story();
        String array = "[" + story.roomKey() + "," + story.keysQuery() + ",{\"type\":\"teleport\"}]";

        Answer answer = post("/api/v1/inputs", array, "application/json");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasSize(3);
        assertThat(answer.body().at("/0/result/session_id").textValue()).isEqualTo(story.sessionId());
        assertThat(answer.body().at("/1/result/updated/0/sender_data/SenderUnverified/user_id").textValue())
                .isEqualTo(story.sender.userId());
        assertThat(answer.body().at("/1/result/rejected").isArray()).isTrue();
        assertThat(answer.body().at("/2/error/code").textValue()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void getSession_withSlashAndPlusInTheSessionId_urlEncoded() throws Exception {
        Story story = Story.withSessionId(id -> id.contains("/") && id.contains("+"));
        post("/api/v1/inputs", story.roomKey());

        Answer answer = get("/api/v1/sessions/" + encode(story.room) + "/" + encode(story.sessionId()));

        assertThat(encode(story.sessionId())).contains("%2F", "%2B");
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(names(answer.body()))
                .containsExactly("room_id", "session_id", "sender_data", "imported", "discarded");
        assertThat(answer.body().get("room_id").textValue()).isEqualTo(story.room);
        assertThat(answer.body().get("session_id").textValue()).isEqualTo(story.sessionId());
        assertThat(answer.body().get("sender_data").toString()).isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
        assertThat(answer.body().get("imported").booleanValue()).isFalse();
        assertThat(answer.body().get("discarded").booleanValue()).isFalse();
    }

    @Test
    void getSession_rawRoomIdAndRawSlashesWorkToo() throws Exception {
        Story story = Story.withSessionId(id -> id.contains("/") && !id.contains("+"));
        post("/api/v1/inputs", story.roomKey());

        Answer answer = get("/api/v1/sessions/" + story.room + "/" + story.sessionId());

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().get("session_id").textValue()).isEqualTo(story.sessionId());
    }

    @Test
    void getSession_showsTheCurrentSenderData() throws Exception {
        Story story = knownSession();
        Answer answer = get("/api/v1/sessions/" + encode(story.room) + "/" + encode(story.sessionId()));
        assertThat(answer.body().at("/sender_data/SenderUnverified/device_id").textValue()).isEqualTo(story.deviceId);
    }

    @Test
    void getSession_unknown_is404WithUnknownSession() throws Exception {
        Answer answer = get("/api/v1/sessions/" + encode("!nowhere:example.org") + "/" + encode("no/such+session"));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("UNKNOWN_SESSION");
        assertThat(answer.body().at("/error/message").textValue()).contains("no/such+session", "!nowhere:example.org");
    }

    @Test
    void getSession_withoutASessionId_is400() throws Exception {
        Answer answer = get("/api/v1/sessions/" + encode("!r:example.org") + "/");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void postDecrypt_showsThePlaintext_withVerificationStateAndDevice() throws Exception {
        Story story = knownSession();
        String ciphertext = story.encrypt("over HTTP");

        Answer answer = post("/api/v1/decrypt", decryptBody(story, "CROSS_SIGNED", ciphertext, story.eventId("http")));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(names(answer.body().get("result"))).containsExactly("plaintext", "verification_state", "sender_device");
        assertThat(answer.body().at("/result/plaintext/content/body").textValue()).isEqualTo("over HTTP");
        assertThat(answer.body().at("/result/verification_state").toString())
                .isEqualTo("{\"Unverified\":\"UnverifiedIdentity\"}");
        assertThat(answer.body().at("/result/sender_device").textValue()).isEqualTo(story.deviceId);
    }

    @Test
    void postDecrypt_refusedByPolicy_is403WithTheVerificationLevel() throws Exception {
        Story story = knownSession();
        Answer answer = post("/api/v1/decrypt",
                decryptBody(story, "VERIFIED_ONLY", story.encrypt("secret"), story.eventId("secret")));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.code()).isEqualTo("SENDER_IDENTITY_NOT_TRUSTED");
        assertThat(answer.body().at("/error/verification_level").textValue()).isEqualTo("UnverifiedIdentity");
        assertThat(answer.body().toString()).doesNotContain("secret\"");
    }

    @Test
    void postDecrypt_unknownSession_is404() throws Exception {
        Story story = new Story();
        Answer answer = post("/api/v1/decrypt", decryptBody(story, "SHOW_ALL", story.encrypt("x"), story.eventId("x")));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("UNKNOWN_SESSION");
    }

    @Test
    void postDecrypt_eventFromAnotherRoom_is400InvalidInput() throws Exception {
        Story story = knownSession();
        ObjectNode body = decryptBody(story, "SHOW_ALL", story.encrypt("x"), story.eventId("x"));
        body.put("room_id", "!other:example.org");
        Answer answer = post("/api/v1/decrypt", body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().at("/error/message").textValue()).contains("differs from the room it arrived in");
    }

    @Test
    void postDecrypt_unknownPolicy_is400() throws Exception {
        Story story = knownSession();
        Answer answer = post("/api/v1/decrypt", decryptBody(story, "TRUST_ME", story.encrypt("x"), story.eventId("x")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/message").textValue()).contains("unknown policy TRUST_ME");
    }

    @Test
    void postDecrypt_hugeUnknownPolicy_isRefusedWithAShortMessage() throws Exception {
        Story story = knownSession();
        String policy = "P".repeat(70_000);
        Answer answer = post("/api/v1/decrypt", decryptBody(story, policy, story.encrypt("x"), story.eventId("x")));
        assertThat(answer.status()).isEqualTo(400);
        String message = answer.body().at("/error/message").textValue();
        assertThat(message).startsWith("unknown policy PPP").hasSizeLessThan(2_000);
    }

    @Test
    void postDecrypt_bodyOfAnotherInputType_is400() throws Exception {
        Story story = new Story();
        Answer answer = post("/api/v1/decrypt", story.roomKey());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/message").textValue()).contains("/api/v1/inputs");
    }

    @Test
    void roomKeyForAnotherRecipient_is422RecipientMismatch() throws Exception {
        assertThat(post("/api/v1/inputs", Story.ownDevice()).status()).isEqualTo(200);
        Story story = new Story();
        TestAccount someoneElse = TestAccount.create("@else:example.org", "else", "ELSEDEVICE");

        Answer answer = post("/api/v1/inputs", story.roomKey(someoneElse.ownDevice("ELSEDEVICE")));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo("RECIPIENT_MISMATCH");
    }

    @Test
    void roomKeyForAnotherDeviceOfOurUser_is422RecipientMismatch() throws Exception {
        assertThat(post("/api/v1/inputs", Story.ownDevice()).status()).isEqualTo(200);
        Story story = new Story();

        Answer answer = post("/api/v1/inputs", story.roomKey(Story.ME_ACCOUNT.ownDevice("MYOTHERDEVICE")));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo("RECIPIENT_MISMATCH");
        assertThat(answer.body().at("/error/message").textValue()).contains("recipient_keys.ed25519");
    }

    @Test
    void roomKeyWhosePayloadNamesAnotherSender_is422MismatchedSender() throws Exception {
        Story story = new Story();
        ObjectNode input = story.roomKey().put("sender", "@mallory:example.org");

        Answer answer = post("/api/v1/inputs", input);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo("MISMATCHED_SENDER");
    }

    @Test
    void verificationInputs_answerUpdatedOnly_withoutRejected() throws Exception {
        Story story = knownSession();

        Answer verified = post("/api/v1/inputs", story.verifyMasterKey());
        Answer withdrawn = post("/api/v1/inputs", new ObjectMapper().createObjectNode()
                .put("type", "withdraw_verification").put("user_id", story.sender.userId()));

        assertThat(names(verified.body().get("result"))).containsExactly("updated");
        assertThat(verified.body().at("/result/updated/0/sender_data/SenderVerified/device_id").textValue())
                .isEqualTo(story.deviceId);
        assertThat(names(withdrawn.body().get("result"))).containsExactly("updated");
        assertThat(withdrawn.body().at("/result/updated")).isEmpty();
    }

    @Test
    void roomKeyFromATamperedDevice_is410SessionDiscarded() throws Exception {
        Story story = new Story();
        Answer keys = post("/api/v1/inputs", story.tamperedKeysQuery());
        assertThat(keys.body().at("/result/rejected/0/user_id").textValue()).isEqualTo(story.sender.userId());

        Answer answer = post("/api/v1/inputs", story.roomKey());

        assertThat(answer.status()).isEqualTo(410);
        assertThat(answer.code()).isEqualTo("SESSION_DISCARDED");
        assertThat(get("/api/v1/sessions/" + encode(story.room) + "/" + encode(story.sessionId())).body()
                .get("discarded").booleanValue()).isTrue();
        Answer decrypt = post("/api/v1/decrypt", decryptBody(story, "SHOW_ALL", story.encrypt("x"), story.eventId("x")));
        assertThat(decrypt.status()).isEqualTo(410);
        assertThat(decrypt.code()).isEqualTo("SESSION_DISCARDED");
    }

    @Test
    void malformedJsonBody_is400InvalidInput() throws Exception {
        Answer answer = post("/api/v1/inputs", "{\"type\": \"room_key\", oops", "application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().at("/error/message").textValue()).startsWith("the body is not valid JSON");
    }

    @Test
    void duplicateKeysInTheBody_are400() throws Exception {
        Answer answer = post("/api/v1/inputs", "{\"type\":\"own_device\",\"type\":\"own_device\"}", "application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/message").textValue()).contains("Duplicate field 'type'");
    }

    @Test
    void bodyThatIsNotAnObject_is400() throws Exception {
        Answer answer = post("/api/v1/inputs", "42", "application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void unknownFieldInAnInput_is400() throws Exception {
        ObjectNode input = Story.ownDevice().put("colour", "blue");
        Answer answer = post("/api/v1/inputs", input);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().at("/error/message").textValue()).contains("unknown field \"colour\"");
    }

    @Test
    void emptyBody_is400InvalidInput() throws Exception {
        Answer answer = post("/api/v1/inputs", "", "application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void wrongContentType_is415WithACode() throws Exception {
        Answer answer = post("/api/v1/inputs", Story.ownDevice().toString(), "text/plain");
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().at("/error/message").textValue()).contains("application/json");
    }

    @Test
    void wrongMethod_is405WithACode() throws Exception {
        Answer answer = get("/api/v1/inputs");
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void unknownEndpoint_is404WithACode() throws Exception {
        Answer answer = get("/api/v1/nothing-here");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().at("/error/message").textValue()).contains("/api/v1/inputs");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
