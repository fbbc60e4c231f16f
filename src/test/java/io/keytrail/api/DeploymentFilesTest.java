package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml runs what the tests run (no container engine here, so the file is parsed, not
 * started): PostgreSQL at a pinned version, Keytrail built from the Dockerfile with a health check, the
 * sealing key from a Docker secret, data on a named volume, tokens from the environment, no Axon Server.
 * The Dockerfile copies the executable jar that the build names target/keytrail.jar.
 */
class DeploymentFilesTest {
    static Map<String, Object> compose;
    static Map<String, Object> keytrail;
    static Map<String, Object> postgres;
    static String dockerfile;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        keytrail = (Map<String, Object>) services.get("keytrail");
        postgres = (Map<String, Object>) services.get("postgres");
        dockerfile = Files.readString(Path.of("Dockerfile"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsPostgresAndKeytrailOnly_withoutAxonServer() {
        assertThat(((Map<String, Object>) compose.get("services")).keySet()).containsExactlyInAnyOrder("postgres", "keytrail");
        assertThat(scalars(compose)).noneMatch(s -> s.toLowerCase().contains("axonserver"));
    }

    @Test
    void everyImageIsPinned_postgresToARelease() {
        assertThat((String) postgres.get("image")).matches("postgres:15\\.\\d+");
        assertThat((String) keytrail.get("image")).doesNotEndWith(":latest");
        assertThat(postgres.get("healthcheck")).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void keytrailIsBuiltFromTheDockerfile_withAHealthCheckOnActuatorHealth() {
        assertThat(keytrail.get("build")).isEqualTo(".");
        Map<String, Object> health = (Map<String, Object>) keytrail.get("healthcheck");
        assertThat(String.join(" ", (List<String>) health.get("test"))).contains("/actuator/health", "curl -f");
        assertThat(dockerfile).contains("install -y --no-install-recommends curl");
        assertThat((Map<String, Object>) ((Map<String, Object>) keytrail.get("depends_on")).get("postgres"))
                .containsEntry("condition", "service_healthy");
    }

    @Test
    @SuppressWarnings("unchecked")
    void sealingKeyComesFromADockerSecret_tokensFromTheEnvironment_bindAddressIsAllInterfaces() {
        Map<String, Object> env = (Map<String, Object>) keytrail.get("environment");
        assertThat(env).doesNotContainKey("KEYTRAIL_SESSION_KEY_ENCRYPTION_KEY")
                .containsEntry("SPRING_CONFIG_IMPORT", "configtree:/run/secrets/")
                .containsEntry("KEYTRAIL_BIND_ADDRESS", "0.0.0.0")
                .containsEntry("SPRING_PROFILES_ACTIVE", "postgres");
        assertThat((String) env.get("KEYTRAIL_API_TOKEN")).startsWith("${KEYTRAIL_API_TOKEN:?");
        assertThat((String) env.get("KEYTRAIL_API_ADMIN_TOKEN")).startsWith("${KEYTRAIL_API_ADMIN_TOKEN:?");
        List<Map<String, Object>> secrets = (List<Map<String, Object>>) keytrail.get("secrets");
        assertThat(secrets).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("target", "keytrail.session-key-encryption-key");
            assertThat((Map<String, Object>) compose.get("secrets")).containsKey((String) s.get("source"));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void dataLivesOnNamedVolumes_whereTheImageKeepsIt() {
        Map<String, Object> env = (Map<String, Object>) keytrail.get("environment");
        assertThat((List<String>) keytrail.get("volumes")).containsExactly("keytrail-data:/app/data");
        assertThat((List<String>) postgres.get("volumes")).containsExactly("postgres-data:/var/lib/postgresql/data");
        assertThat(((Map<String, Object>) compose.get("volumes")).keySet())
                .containsExactlyInAnyOrder("keytrail-data", "postgres-data");
        assertThat(env).containsEntry("KEYTRAIL_DATA_DIR", "/app/data");
        assertThat(dockerfile).contains("KEYTRAIL_DATA_DIR=/app/data", "VOLUME /app/data");
    }

    @Test
    void theDockerfileCopiesTheExecutableJarTheBuildNames() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<classifier>exec</classifier>",
                "tofile=\"${project.build.directory}/keytrail.jar\"");
        assertThat(dockerfile).contains("COPY target/keytrail.jar /app/keytrail.jar",
                "ENTRYPOINT [\"java\", \"-jar\", \"/app/keytrail.jar\"]");
    }

    /** Every key and scalar value in the parsed document. */
    private static List<String> scalars(Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                out.add(String.valueOf(k));
                out.addAll(scalars(v));
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> out.addAll(scalars(v)));
        } else if (node != null) {
            out.add(String.valueOf(node));
        }
        return out;
    }
}
