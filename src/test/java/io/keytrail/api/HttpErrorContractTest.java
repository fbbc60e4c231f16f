package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.EngineSpringTest;

/**
 * One error contract (design 10-11): every error from every layer (ours, Spring's, Tomcat's) is
 * {@code {"error":{"code","message"}}}, 4xx where the request is at fault, with nothing of the internals;
 * every body is bounded and strictly UTF-8.
 */
@EngineSpringTest
class HttpErrorContractTest {
    private static final String USER = ApiTestTokens.USER;

    @LocalServerPort
    int port;

    private RawHttp http() {
        return new RawHttp(port);
    }

    /** The shape, the status and the code; and no class, package, SQL or HTML in the answer. */
    static void assertError(RawHttp.Answer answer, int status, String code) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(names(body)).containsExactly("error");
        assertThat(names(body.get("error"))).startsWith("code", "message");
        assertThat(body.at("/error/code").textValue()).isEqualTo(code);
        assertThat(body.at("/error/message").textValue()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception", "org.", "java.", "SQL", "<html", "at io.keytrail");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unknownPath_is404InTheErrorShape() throws Exception {
        assertError(http().send("GET", "/api/v2/anything", USER, null), 404, "INVALID_INPUT");
        assertError(http().send("GET", "/", USER, null), 404, "INVALID_INPUT");
    }

    @Test
    void getError_isJustAnUnknownPath() throws Exception {
        assertError(http().send("GET", "/error", USER, null), 404, "INVALID_INPUT");
        assertError(http().send("POST", "/error", USER, utf8("{}")), 404, "INVALID_INPUT");
    }

    @Test
    void wrongMethod_is405InTheErrorShape() throws Exception {
        assertError(http().send("DELETE", "/api/v1/inputs", USER, null), 405, "INVALID_INPUT");
    }

    @Test
    void trace_isRefusedInTheErrorShape_withoutEchoingTheRequest() throws Exception {
        RawHttp.Answer answer = http().send("TRACE", "/api/v1/inputs", USER, null);
        assertError(answer, 405, "INVALID_INPUT");
        assertThat(answer.body()).doesNotContain(USER);
    }

    @Test
    void missingBody_is400() throws Exception {
        assertError(http().send("POST", "/api/v1/inputs", USER, new byte[0]), 400, "INVALID_INPUT");
        assertError(http().send("POST", "/api/v1/decrypt", USER, new byte[0]), 400, "INVALID_INPUT");
    }

    @Test
    void badPercentEncodingInThePath_is400InTheErrorShape_notTomcatsPage() throws Exception {
        assertError(http().send("GET", "/api/v1/sessions/%zz/abc", USER, null), 400, "INVALID_INPUT");
        assertError(http().send("GET", "/api/v1/sessions/%/abc", null, null), 400, "INVALID_INPUT");
    }

    @Test
    void aMalformedRequestLine_is400InTheErrorShape() throws Exception {
        RawHttp.Answer answer = http().exchange(utf8("GET /api/v1/inputs?x=\u0001 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("<html", "Tomcat");
    }

    @Test
    void auditWithoutItsParameters_is400InTheErrorShape() throws Exception {
        RawHttp.Answer answer = http().send("GET", "/api/v1/audit/history", USER, null);
        assertError(answer, 400, "INVALID_INPUT");
        assertThat(answer.json().at("/error/message").textValue()).contains("room_id");
        assertError(http().send("GET", "/api/v1/audit/as-of?room_id=r&session_id=s", USER, null), 400, "INVALID_INPUT");
    }

    @Test
    void anErrorAnsweredToAClientThatAcceptsOnlyHtml_isStillJson() throws Exception {
        RawHttp.Answer answer = http().exchange(utf8("GET /api/v1/sessions/r/s HTTP/1.1\r\nHost: x\r\nConnection: close"
                + "\r\nAccept: text/html\r\nAuthorization: Bearer " + USER + "\r\n\r\n"));
        assertError(answer, 406, "INVALID_INPUT");
    }

    @Test
    void invalidUtf8InABody_isRefusedAsInReplay_notReplaced() throws Exception {
        byte[] body = utf8("{\"type\":\"own_device\",\"user_id\":\"@me:example.org\",\"device_id\":\"X\"}");
        body[body.length - 3] = (byte) 0xff;
        for (String path : List.of("/api/v1/inputs", "/api/v1/decrypt")) {
            RawHttp.Answer answer = http().send("POST", path, USER, body);
            assertError(answer, 400, "INVALID_INPUT");
            assertThat(answer.json().at("/error/message").textValue()).isEqualTo("the body is not valid UTF-8");
        }
        RawHttp.Answer export = http().send("POST", "/api/v1/export", ApiTestTokens.ADMIN,
                new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'});
        assertError(export, 400, "INVALID_INPUT");
    }

    @Test
    void aDeclaredBodyOverTheLimit_is413TooLarge_withoutReadingIt() throws Exception {
        byte[] head = utf8("POST /api/v1/decrypt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                + USER + "\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n{");
        assertError(http().exchange(head), 413, "TOO_LARGE");

        byte[] inputs = utf8("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                + USER + "\r\nContent-Type: application/json\r\nContent-Length: " + (64L * 1024 * 1024 + 1)
                + "\r\n\r\n[");
        assertError(http().exchange(inputs), 413, "TOO_LARGE");
    }

    @Test
    void aChunkedBodyOverTheLimit_is413TooLarge() throws Exception {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(utf8("POST /api/v1/export HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                + ApiTestTokens.ADMIN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        for (int i = 0; i < 17; i++) {
            request.writeBytes(utf8(Integer.toHexString(chunk.length) + "\r\n"));
            request.writeBytes(chunk);
            request.writeBytes(utf8("\r\n"));
        }
        request.writeBytes(utf8("0\r\n\r\n"));

        assertError(http().exchange(request.toByteArray()), 413, "TOO_LARGE");
    }

    @Test
    void aLargeBodyWithoutImportInputs_is413_butAnImportMayBeLarger() throws Exception {
        String padding = " ".repeat(1024 * 1024);
        RawHttp.Answer plain = http().send("POST", "/api/v1/inputs", USER,
                utf8("{\"type\":\"own_device\",\"user_id\":\"@me:example.org\",\"device_id\":\"X\"}" + padding));
        assertError(plain, 413, "TOO_LARGE");
        assertThat(plain.json().at("/error/message").textValue()).contains("keytrail.limits.body");

        RawHttp.Answer importing = http().send("POST", "/api/v1/inputs", USER,
                utf8("{\"type\":\"import_room_keys\",\"keys\":[]}" + padding));
        assertThat(importing.status()).as(importing.body()).isEqualTo(200);
    }

    @Test
    void moreThanAThousandInputsInOneArray_is413_beforeAnyRuns() throws Exception {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            array.append(i == 0 ? "" : ",").append("{\"type\":\"withdraw_verification\",\"user_id\":\"@u").append(i)
                    .append(":example.org\"}");
        }
        RawHttp.Answer answer = http().send("POST", "/api/v1/inputs", USER, utf8(array + "]"));
        assertError(answer, 413, "TOO_LARGE");
        assertThat(answer.json().at("/error/message").textValue()).contains("1001", "keytrail.limits.batch-inputs");
    }

    @Test
    void anArrayIsAnsweredInOrder_streamed() throws Exception {
        RawHttp.Answer answer = http().send("POST", "/api/v1/inputs", USER,
                utf8("[{\"type\":\"teleport\"},{\"type\":\"withdraw_verification\",\"user_id\":\"@a:example.org\"}]"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).hasSize(2);
        assertThat(answer.json().at("/0/error/code").textValue()).isEqualTo("INVALID_INPUT");
        assertThat(answer.json().at("/1/result/updated").isArray()).isTrue();
        assertThat(http().send("POST", "/api/v1/inputs", USER, utf8("[]")).body()).isEqualTo("[]");
    }
}
