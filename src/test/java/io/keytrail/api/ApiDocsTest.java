package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.errors.RefusalCode;

/**
 * The OpenAPI description (ADR 0015) matches the README: every endpoint the README names is described,
 * and nothing else; every operation needs the bearer token and answers errors in the one error shape.
 */
@EngineSpringTest
class ApiDocsTest {
    /** "GET /api/v1/..." as the README writes endpoints (ids in braces, query strings left out). */
    private static final Pattern README_ENDPOINT = Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^\\s`?|),]*)");

    @LocalServerPort
    int port;

    @Test
    void apiDocs_describeExactlyTheEndpointsOfTheReadme() throws Exception {
        RawHttp.Answer docs = new RawHttp(port).send("GET", "/v3/api-docs", ApiTestTokens.ADMIN, null);
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);

        Set<String> described = new TreeSet<>();
        docs.json().path("paths").properties().forEach(path -> path.getValue().properties().forEach(
                operation -> described.add(operation.getKey().toUpperCase() + " " + normalized(path.getKey()))));
        Set<String> documented = new TreeSet<>();
        Matcher m = README_ENDPOINT.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            documented.add(m.group(1) + " " + normalized(m.group(2)));
        }

        assertThat(documented).contains("POST /api/v1/inputs", "GET /api/v1/sessions/{}/{}", "POST /api/v1/export");
        assertThat(described).containsExactlyInAnyOrderElementsOf(documented);
        assertThat(ApiDocsConfiguration.describedOperations()).hasSameSizeAs(described);
    }

    @Test
    void everyOperation_needsTheBearerToken_andAnswersErrorsInTheOneShape() throws Exception {
        JsonNode docs = new RawHttp(port).send("GET", "/v3/api-docs", ApiTestTokens.ADMIN, null).json();

        assertThat(docs.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(docs.at("/components/schemas/Error/properties/error/properties/code/enum").toString())
                .contains(RefusalCode.UNAUTHORIZED.name(), RefusalCode.SENDER_IDENTITY_NOT_TRUSTED.name());
        docs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode op = operation.getValue();
            assertThat(op.path("summary").asText()).as(path.getKey()).isNotBlank();
            assertThat(op.at("/security/0/bearer").isArray()).as(path.getKey()).isTrue();
            assertThat(op.at("/responses/401/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/Error");
        }));
    }

    @Test
    void apiDocs_needTheAdminToken() throws Exception {
        RawHttp http = new RawHttp(port);
        assertThat(http.send("GET", "/v3/api-docs", null, null).status()).isEqualTo(401);
        RawHttp.Answer user = http.send("GET", "/v3/api-docs", ApiTestTokens.USER, null);
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.code()).isEqualTo(RefusalCode.FORBIDDEN.name());
        assertThat(http.send("GET", "/swagger-ui.html", ApiTestTokens.ADMIN, null).status())
                .as("no Swagger UI").isEqualTo(404);
    }

    private static String normalized(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }
}
