package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importKeyExport;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.ApiTestTokens;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.fixture.TestAccount;

/** Imports and exports over HTTP: {@code POST /api/v1/inputs} (with counts) and {@code POST /api/v1/export}. */
@EngineSpringTest
class ImportHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    MockMvc mvc;

    private final TestAccount alice = account("alice");

    /** Exports need the admin token; inputs take the user token. */
    private MvcResult postJson(String path, JsonNode body) throws Exception {
        String token = path.equals("/api/v1/export") ? ApiTestTokens.ADMIN : ApiTestTokens.USER;
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body.toString())
                .header("Authorization", ApiTestTokens.bearer(token))).andReturn();
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return MAPPER.readTree(result.getResponse().getContentAsString());
    }

    @Test
    void importKeyExport_answersTheResultWithCounts_andExportWritesAFileOtherClientsRead() throws Exception {
        String roomId = room();
        Sender a = new Sender(roomId, 1);
        Sender b = new Sender(roomId, 1);
        ArrayNode keys = JSON.arrayNode().add(exportEntry(a, 0, alice)).add(exportEntry(b, 0, alice)).add(42);
        String file = KeyExportFile.encrypt(keys.toString(), "pass", 10, ImportFixtures.RANDOM);

        MvcResult imported = postJson("/api/v1/inputs", importKeyExport("pass", file));

        assertThat(imported.getResponse().getStatus()).isEqualTo(200);
        JsonNode result = json(imported).path("result");
        assertThat(result.path("counts")).isEqualTo(JSON.objectNode().put("imported", 2).put("failed", 1));
        assertThat(result.path("imported")).hasSize(2);

        ObjectNode request = JSON.objectNode().put("passphrase", "other pass").put("rounds", 100_000);
        request.putArray("room_ids").add(roomId);
        Set<Path> spoolsBefore = exportSpools();
        MvcResult exported = postJson("/api/v1/export", request);

        assertThat(exported.getResponse().getStatus()).isEqualTo(200);
        assertThat(exported.getResponse().getContentLengthLong())
                .isEqualTo(exported.getResponse().getContentAsByteArray().length);
        assertThat(exportSpools()).as("the spool file is deleted once answered").isSubsetOf(spoolsBefore);
        assertThat(exported.getResponse().getContentType()).startsWith("text/plain");
        assertThat(exported.getResponse().getHeader("X-Keytrail-Session-Count")).isEqualTo("2");
        JsonNode payload = MAPPER.readTree(KeyExportFile.decrypt(exported.getResponse().getContentAsString(), "other pass"));
        assertThat(payload).extracting(n -> n.path("session_id").asText())
                .containsExactlyInAnyOrder(a.sessionId(), b.sessionId());
    }

    @Test
    void wrongPassphrase_isA422WithTheErrorCode() throws Exception {
        String file = KeyExportFile.encrypt("[]", "pass", 10, ImportFixtures.RANDOM);
        MvcResult result = postJson("/api/v1/inputs", importKeyExport("not the pass", file));
        assertThat(result.getResponse().getStatus()).isEqualTo(422);
        assertThat(json(result).at("/error/code").asText()).isEqualTo("BAD_PASSPHRASE");
    }

    /** The export is spooled to an owner-only temporary file, never kept after the answer. */
    private static Set<Path> exportSpools() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("keytrail-export-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void exportErrors_areJson() throws Exception {
        Set<Path> spoolsBefore = exportSpools();
        MvcResult noPassphrase = postJson("/api/v1/export", JSON.objectNode().put("rounds", 10));
        assertThat(noPassphrase.getResponse().getStatus()).isEqualTo(400);
        assertThat(json(noPassphrase).at("/error/code").asText()).isEqualTo("INVALID_INPUT");

        ObjectNode unknown = JSON.objectNode().put("passphrase", "p").put("rounds", 100_000);
        unknown.putArray("session_ids").add("nosuchsession");
        MvcResult missing = postJson("/api/v1/export", unknown);
        assertThat(missing.getResponse().getStatus()).isEqualTo(404);
        assertThat(json(missing).at("/error/code").asText()).isEqualTo("UNKNOWN_SESSION");

        MvcResult typo = postJson("/api/v1/export", JSON.objectNode().put("passphrase", "p").put("room", "!r:x"));
        assertThat(typo.getResponse().getStatus()).isEqualTo(400);
        assertThat(json(typo).at("/error/message").asText()).contains("unknown field \"room\"");
        assertThat(exportSpools()).as("a refused export leaves no spool file").isSubsetOf(spoolsBefore);
    }
}
