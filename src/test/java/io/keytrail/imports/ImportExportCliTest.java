package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.keytrail.api.ExportCommand;
import io.keytrail.api.ReplayCommand;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.imports.ImportFixtures.Sender;

/**
 * The command line: {@code replay --store DIR} imports (progress of a big import on standard error,
 * standard output keeps only result lines), then {@code export --store DIR} writes the sessions as a key
 * export file on standard output.
 */
class ImportExportCliTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured capture(Callable<Integer> command) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = command.call();
            return new Captured(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void replayImportsIntoAStore_withProgressOnStandardError_andExportWritesTheFileOnStandardOutput() throws Exception {
        String roomId = ImportFixtures.room();
        ArrayNode keys = JSON.arrayNode();
        for (int i = 0; i < 1100; i++) {
            keys.add(ImportFixtures.exportEntry(new Sender(roomId, 1), 0, "cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w", null));
        }
        String file = KeyExportFile.encrypt(keys.toString(), "in-pass", 10, RANDOM);
        Path recording = dir.resolve("import.jsonl");
        Files.write(recording, List.of(ImportFixtures.importKeyExport("in-pass", file).toString(),
                ImportFixtures.importKeyExport("wrong", file).toString()), StandardCharsets.UTF_8);
        Path store = dir.resolve("store");

        Captured replay = capture(() -> ReplayCommand.run(new String[] {"replay", recording.toString(), "--store",
                store.toString()}));

        assertThat(replay.exitCode()).isZero();
        String[] lines = replay.out().split("\n");
        JsonNode first = MAPPER.readTree(lines[0]);
        assertThat(first.at("/result/imported")).hasSize(1100);
        assertThat(first.at("/result/counts").isMissingNode()).as("replay keeps design 10's shape").isTrue();
        assertThat(MAPPER.readTree(lines[1]).at("/error/code").asText()).isEqualTo("BAD_PASSPHRASE");
        for (String line : lines) {
            assertThat(line).startsWith("{");
        }
        assertThat(replay.err()).contains("replay: line 1 [", "1100/1100 sessions");

        Path passphrase = dir.resolve("passphrase.txt");
        Files.writeString(passphrase, "out-pass\n");
        Captured export = capture(() -> ExportCommand.run(new String[] {"export", "--store", store.toString(),
                "--passphrase-file", passphrase.toString(), "--room", roomId, "--rounds", "100000"}));

        assertThat(export.exitCode()).isZero();
        assertThat(export.out()).startsWith(KeyExportFile.HEADER);
        assertThat(export.err()).contains("export: wrote 1100 sessions");
        JsonNode payload = MAPPER.readTree(KeyExportFile.decrypt(export.out(), "out-pass"));
        assertThat(payload).hasSize(1100);
        assertThat(payload.get(0).path("room_id").asText()).isEqualTo(roomId);
    }

    @Test
    void exportWithoutAStore_isAUsageError() throws Exception {
        Captured export = capture(() -> ExportCommand.run(new String[] {"export", "--store",
                dir.resolve("nothing").toString(), "--passphrase-file", dir.resolve("p").toString()}));
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.out()).isEmpty();
        assertThat(export.err()).contains("is not a Keytrail store");

        Captured usage = capture(() -> ExportCommand.run(new String[] {"export", "--store"}));
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("usage:");
    }
}
