package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The example recording replayed into a store, then audited as an auditor would: every decision it
 * records follows from the store's own facts (verification state folded from its events); and its read
 * models rebuilt from the command line.
 */
class AuditOfExampleStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The quickstart replayed into a store that both commands use (a copy of the one replay of this JVM). */
    @TempDir
    static Path work;
    private static Path store;

    @BeforeAll
    static void replayTheQuickstart() {
        store = QuickstartStore.copyTo(work.resolve("store"));
    }

    @Test
    void theQuickstartStore_hasEveryDecisionConfirmed() throws IOException {

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(new String[] {"audit", "--store", store.toString(), "--all"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        List<JsonNode> decisions = lines.subList(0, lines.size() - 1);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(summary.path("decisions").asInt()).isEqualTo(decisions.size()).isPositive();
        assertThat(summary.path("differs").asInt()).isZero();
        assertThat(summary.path("unverifiable").asInt()).isZero();
        assertThat(decisions).allSatisfy(d -> assertThat(d.path("verdict").asText()).as(d.toString())
                .isEqualTo("CONFIRMED"));
    }

    @Test
    void theQuickstartStore_isRebuiltFromTheCommandLine_withProgressOnStderrAndCountsOnStdout() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(new String[] {"rebuild", "--store", store.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        JsonNode rebuilt = JSON.readTree(out.toString(StandardCharsets.UTF_8).strip()).path("rebuilt");
        assertThat(rebuilt.path("events").asLong()).isPositive();
        // The quickstart: three sessions, two users' devices and identities (design 10's example).
        assertThat(rebuilt.path("sessions").asLong()).isEqualTo(3);
        assertThat(rebuilt.path("identities").asLong()).isPositive();
        assertThat(stderr).contains("rebuild: " + rebuilt.path("events").asLong() + " / "
                + rebuilt.path("events").asLong() + " events");
        assertThat(out.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1);
    }

    @Test
    void rebuildOfADirectoryThatHoldsNoStore_exitsTwo_withoutStartingTheEngine(@TempDir Path empty) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeytrailCli.execute(new String[] {"rebuild", "--store", empty.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rebuild: ").contains("is not a Keytrail store")
                .doesNotContain("starting the engine");
    }
}
