package io.keytrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.api.KeytrailCli;

/**
 * The {@code bench} command at a tiny size: its last standard output line is one JSON object with every
 * figure present and plausible (counts exact, rates and ratios positive); nothing is asserted about
 * speed. Usage errors never start the engine.
 */
class BenchCommandTest {
    private static final List<String> FIGURES = List.of("ed25519_verify_per_s", "bound_per_s", "ingest_keys_per_s",
            "ingest_batch_p50_ms", "ingest_batch_p99_ms", "decrypt_per_s", "decrypt_batch_per_s", "import_per_s", "heap_peak_mb",
            "ingest_to_bound", "decrypt_to_bound", "decrypt_batch_to_bound", "import_to_bound", "disk_bytes_per_session",
            "stalled_ingest_keys_per_s", "stalled_batch_p50_ms", "stalled_batch_p99_ms");

    /**
     * Each Ed25519 sample lasts 5 ms instead of the default 0.3-1 s: seven to ten samples a run were most of
     * this class's CPU, and nothing here asserts a rate beyond its being positive.
     */
    private static final String SAMPLE_MS = "5";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int bench(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return KeytrailCli.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void tinyRun_printsOneJsonLineWithEveryFigurePresentAndPlausible() throws Exception {
        Path store = temp.resolve("store");

        int status = bench("--keys", "20", "--devices", "4", "--batch", "5", "--events", "10", "--imports", "5",
                "--stalled", "10", "--quick", "--ed25519-ms", SAMPLE_MS, "--no-full-gc", "--export-rounds", "1000",
                "--store", store.toString());

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).as("standard output carries only the figures").hasSize(1);
        JsonNode figures = new ObjectMapper().readTree(lines[lines.length - 1]);
        for (String figure : FIGURES) {
            assertThat(figures.path(figure).isNumber()).as(figure + " in " + figures).isTrue();
            assertThat(figures.path(figure).asDouble()).as(figure).isPositive();
        }
        assertThat(figures.path("errors").asInt()).isZero();
        assertThat(figures.path("ingest_sender_data").path("SenderUnverified").asInt())
                .as("every key comes from a cross-signed device with known keys").isEqualTo(20);
        assertThat(figures.path("import_sessions").asInt()).isEqualTo(5);
        int warmUp = figures.path("warm_up_keys").asInt();
        assertThat(figures.path("sessions_stored").asInt()).isEqualTo(warmUp + 20 + 5 + 10);
        assertThat(figures.path("ingest_batches").asInt()).isEqualTo(4);
        assertThat(figures.path("ingest_batch_p99_ms").asDouble())
                .isGreaterThanOrEqualTo(figures.path("ingest_batch_p50_ms").asDouble());
        double bound = figures.path("bound_per_s").asDouble();
        assertThat(bound).isEqualTo(2 * figures.path("ed25519_verify_per_s").asDouble(), within(2.0));
        assertThat(figures.path("ed25519_verify_per_s_samples")).as("before, between and after the phases").hasSize(5);
        double aroundIngest = figures.path("ed25519_verify_per_s_samples").get(0).asDouble()
                + figures.path("ed25519_verify_per_s_samples").get(1).asDouble();
        assertThat(figures.path("ingest_to_bound").asDouble())
                .isCloseTo(figures.path("ingest_keys_per_s").asDouble() / aroundIngest, within(0.001));
        assertThat(figures.path("stalled_query_reached_homeserver").asBoolean())
                .as("the unknown device's key made the slow lane ask the stub homeserver").isTrue();
        assertThat(figures.path("stalled_homeserver_requests").asInt()).isPositive();
        assertThat(Files.exists(store.resolve("keytrail.mv.db"))).as("--store keeps the store").isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench: ingest: 20 room keys");
        assertThat(figures.path("ingest_windows")).as("a tenth of the keys, in whole batches: four windows of 5")
                .hasSize(4);
        assertThat(figures.path("disk_bytes_per_session_open").asLong()).isPositive();
    }

    @Test
    void ingestOnly_skipsTheOtherPhasesAndReportsEveryWindowWithFirstAndLastFullOnes() throws Exception {
        int status = bench("--keys", "25", "--devices", "4", "--batch", "5", "--window", "12", "--ingest-only",
                "--quick", "--ed25519-ms", SAMPLE_MS, "--no-full-gc");

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode figures = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
        assertThat(figures.path("ingest_only").asBoolean()).isTrue();
        assertThat(figures.has("decrypt_per_s")).isFalse();
        assertThat(figures.has("import_per_s")).isFalse();
        assertThat(figures.has("stalled_ingest_keys_per_s")).isFalse();
        assertThat(figures.path("ed25519_verify_per_s_samples")).as("before and after the ingest").hasSize(2);
        assertThat(figures.path("ingest_window_keys").asInt()).as("rounded down to whole batches").isEqualTo(10);
        JsonNode windows = figures.path("ingest_windows");
        assertThat(windows).hasSize(3);
        assertThat(windows.get(2).path("keys").asInt()).as("the partial last window").isEqualTo(5);
        for (JsonNode window : windows) {
            assertThat(window.path("keys_per_s").asDouble()).isPositive();
            assertThat(window.path("to_bound").asDouble()).isPositive();
            assertThat(window.path("heap_after_gc_mb").asDouble()).isPositive();
            assertThat(window.path("store_bytes").asLong()).isPositive();
        }
        assertThat(figures.path("ingest_first_window_per_s").asLong()).isEqualTo(windows.get(0).path("keys_per_s").asLong());
        assertThat(figures.path("ingest_last_window_per_s").asLong())
                .as("the last full window, not the partial one").isEqualTo(windows.get(1).path("keys_per_s").asLong());
        assertThat(figures.path("ingest_last_to_first").asDouble()).isPositive();
        assertThat(figures.path("sessions_stored").asInt()).isEqualTo(figures.path("warm_up_keys").asInt() + 25);
        assertThat(figures.path("disk_bytes_per_session").asLong()).isPositive();
        assertThat(figures.path("disk_bytes_per_session_open").asLong()).isPositive();
    }

    @Test
    void batchOverTheArrayLimit_isAUsageErrorBeforeAnythingStarts() {
        assertThat(bench("--batch", "1001")).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--batch must be at most 1000")
                .doesNotContain("starting the engine");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void zeroSampleMillis_isAUsageError() {
        assertThat(bench("--ed25519-ms", "0")).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ed25519-ms must be between 1 and")
                .doesNotContain("starting the engine");
    }

    @Test
    void zeroKeys_isAUsageError() {
        assertThat(bench("--keys", "0")).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--keys must be between 1 and");
    }

    @Test
    void storeThatAlreadyHoldsAStore_isAUsageError() throws Exception {
        Path store = Files.createDirectories(temp.resolve("used"));
        Files.writeString(store.resolve("keytrail.mv.db"), "");

        assertThat(bench("--store", store.toString())).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already holds a store");
    }

    @Test
    void storeThatIsAFile_isAUsageError() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");

        assertThat(bench("--store", file.toString())).isEqualTo(KeytrailCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a directory");
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
