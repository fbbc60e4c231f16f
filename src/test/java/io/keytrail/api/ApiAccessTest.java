package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.keytrail.EngineSpringTest;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;

/** Design 11: closed by default, two tokens, admin operations, loopback, bounded export rounds. */
@EngineSpringTest
class ApiAccessTest {
    private static final byte[] EXPORT = "{\"passphrase\":\"a long export passphrase\",\"rounds\":100000}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] OWN_DEVICE = Story.ownDevice().toString().getBytes(StandardCharsets.UTF_8);

    @LocalServerPort
    int port;

    @Autowired
    ServerProperties server;

    @Autowired
    Keytrail keytrail;

    @Autowired
    ServletWebServerApplicationContext web;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private RawHttp http() {
        return new RawHttp(port);
    }

    @Test
    void withoutAToken_everyPathIs401Unauthorized_beforeAnythingIsRead() throws Exception {
        for (String[] call : List.of(new String[] {"POST", "/api/v1/inputs"}, new String[] {"POST", "/api/v1/decrypt"},
                new String[] {"GET", "/api/v1/sessions/%21r%3Ax/abc"}, new String[] {"POST", "/api/v1/export"},
                new String[] {"GET", "/api/v1/audit/history?room_id=r&session_id=s"},
                new String[] {"POST", "/api/v1/audit/reverify"}, new String[] {"GET", "/error"},
                new String[] {"GET", "/"}, new String[] {"GET", "/actuator/prometheus"}, new String[] {"PUT", "/nothing"})) {
            RawHttp.Answer answer = http().send(call[0], call[1], null, call[0].equals("GET") ? null : OWN_DEVICE);

            assertThat(answer.status()).as(call[0] + " " + call[1]).isEqualTo(401);
            assertThat(answer.code()).isEqualTo("UNAUTHORIZED");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(answer.header("Content-Type")).startsWith("application/json");
        }
    }

    @Test
    void aWrongOrMalformedToken_is401() throws Exception {
        for (String token : List.of("wrong-token-0123456789", ApiTestTokens.USER + "x", ApiTestTokens.USER.substring(1),
                "")) {
            assertThat(http().send("POST", "/api/v1/inputs", token, OWN_DEVICE).status()).as(token).isEqualTo(401);
        }
        byte[] basic = ("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic "
                + ApiTestTokens.USER + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(http().exchange(basic).status()).isEqualTo(401);
    }

    @Test
    void theSchemeNameIsCaseInsensitive() throws Exception {
        byte[] request = ("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: bearer "
                + ApiTestTokens.USER + "\r\nContent-Type: application/json\r\nContent-Length: " + OWN_DEVICE.length
                + "\r\n\r\n" + new String(OWN_DEVICE, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(http().exchange(request).status()).isEqualTo(200);
    }

    @Test
    void theUserToken_mayPostInputsAndReadTheTrail_butNotExportOrReverify() throws Exception {
        assertThat(http().send("POST", "/api/v1/inputs", ApiTestTokens.USER, OWN_DEVICE).status()).isEqualTo(200);
        assertThat(http().send("GET", "/api/v1/audit/history?room_id=r&session_id=s", ApiTestTokens.USER, null)
                .code()).isEqualTo("UNKNOWN_SESSION");

        RawHttp.Answer export = http().send("POST", "/api/v1/export", ApiTestTokens.USER, EXPORT);
        RawHttp.Answer reverify = http().send("POST", "/api/v1/audit/reverify", ApiTestTokens.USER, null);

        assertThat(export.status()).isEqualTo(403);
        assertThat(export.code()).isEqualTo("FORBIDDEN");
        assertThat(export.json().at("/error/message").textValue()).contains("admin");
        assertThat(reverify.status()).isEqualTo(403);
        assertThat(reverify.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void theAdminToken_mayDoEverything() throws Exception {
        assertThat(http().send("POST", "/api/v1/inputs", ApiTestTokens.ADMIN, OWN_DEVICE).status()).isEqualTo(200);
        RawHttp.Answer export = http().send("POST", "/api/v1/export", ApiTestTokens.ADMIN, EXPORT);
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.body()).startsWith("-----BEGIN MEGOLM SESSION DATA-----");
        assertThat(http().send("POST", "/api/v1/audit/reverify", ApiTestTokens.ADMIN, null).status()).isEqualTo(200);
    }

    @Test
    void everyUserOperationIsAMappedEndpoint_andEveryOtherEndpointIsAdminOnly() {
        Set<String> mapped = mappings.getHandlerMethods().keySet().stream()
                .flatMap(info -> info.getMethodsCondition().getMethods().stream()
                        .flatMap(m -> info.getPatternValues().stream().map(p -> m.name() + " " + p)))
                .collect(Collectors.toSet());

        assertThat(mapped).containsAll(AdminOperations.USER_OPERATIONS);
        assertThat(mapped).contains("POST /api/v1/export", "POST /api/v1/audit/reverify");
        assertThat(AdminOperations.USER_OPERATIONS).noneMatch(op -> op.contains("export") || op.contains("reverify"));
    }

    @Test
    void theServiceBindsToLoopbackByDefault() {
        assertThat(server.getAddress()).isNotNull();
        assertThat(server.getAddress().isLoopbackAddress()).isTrue();
        Object bound = ((TomcatWebServer) web.getWebServer()).getTomcat().getConnector().getProperty("address");
        assertThat(bound).isInstanceOfSatisfying(InetAddress.class, a -> assertThat(a.isLoopbackAddress()).isTrue());
    }

    @Test
    void exportRounds_belowTheFloorOrAboveTheCeiling_areRefusedOnHttpAndInTheFacade() throws Exception {
        for (int rounds : new int[] {1, 99_999, 10_000_001}) {
            byte[] body = ("{\"passphrase\":\"p\",\"rounds\":" + rounds + "}").getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer answer = http().send("POST", "/api/v1/export", ApiTestTokens.ADMIN, body);
            assertThat(answer.status()).as("rounds " + rounds).isEqualTo(400);
            assertThat(answer.code()).isEqualTo("INVALID_INPUT");
            assertThat(answer.json().at("/error/message").textValue()).contains("100000", "10000000");

            assertThatThrownBy(() -> keytrail.exportRoomKeys("p", KeyExportService.Selection.ALL, rounds))
                    .isInstanceOfSatisfying(RefusalException.class,
                            e -> assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT));
        }
    }
}
