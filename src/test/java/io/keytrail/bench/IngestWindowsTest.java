package io.keytrail.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The per-window figures of a long ingest, from given batch times, Ed25519 rates, store sizes and heap
 * figures (given, not measured: a real full collection per window costs a second in the suite's heap).
 */
class IngestWindowsTest {
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    /** The heap after each window: 10 MB, 20 MB, 30 MB, ... */
    private double heap;

    private IngestWindows windows(int size, List<Double> rates, List<Long> stores) {
        Iterator<Double> r = rates.iterator();
        Iterator<Long> s = stores.iterator();
        return new IngestWindows(size, r::next, s::next, () -> heap += 10,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void lastToFirst_isGivenRawAndDividedByTheBoundAroundEachWindow() {
        // Three windows of 100 keys: 1 s, 2 s, 2 s; the machine is twice as slow after the last window.
        IngestWindows windows = windows(100, List.of(1000.0, 1000.0, 1000.0, 500.0), List.of(0L, 1000L, 3000L, 6000L));
        windows.start();
        for (int i = 0; i < 4; i++) {
            windows.add(50, i < 2 ? 500_000_000L : 1_000_000_000L);
        }
        windows.add(50, 1_000_000_000L);
        windows.add(50, 1_000_000_000L);
        windows.finish();

        ObjectNode out = new ObjectMapper().createObjectNode();
        windows.report(out);

        assertThat(out.path("ingest_windows")).hasSize(3);
        assertThat(out.path("ingest_windows").get(1).path("store_growth_bytes_per_key").asLong()).isEqualTo(20);
        assertThat(out.path("ingest_first_window_per_s").asLong()).isEqualTo(100);
        assertThat(out.path("ingest_last_window_per_s").asLong()).isEqualTo(50);
        assertThat(out.path("ingest_last_to_first").asDouble()).isEqualTo(0.5);
        // Bound around the first: 2 x 1000; around the last: 2 x 750. (50 / 1500) / (100 / 2000) = 0.6667.
        assertThat(out.path("ingest_last_to_first_to_bound").asDouble()).isEqualTo(0.6667);
        assertThat(out.path("ingest_windows").get(2).path("bound_per_s").asLong()).isEqualTo(1500);
        assertThat(out.path("ingest_windows").findValuesAsText("heap_after_gc_mb")).containsExactly("10", "20", "30");
        assertThat(out.path("heap_after_gc_mb_first_window").asLong()).isEqualTo(10);
        assertThat(out.path("heap_after_gc_mb_last_window").asLong()).isEqualTo(30);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("window 3: 100 keys at 50 keys/s");
    }

    @Test
    void fewerThanTwoFullWindows_reportsTheWindowsButNoFirstOrLast() {
        IngestWindows windows = windows(100, List.of(1000.0, 1000.0, 1000.0), List.of(0L, 10L, 20L));
        windows.start();
        windows.add(100, 1_000_000_000L);
        windows.add(40, 1_000_000_000L);
        windows.finish();

        ObjectNode out = new ObjectMapper().createObjectNode();
        windows.report(out);

        assertThat(out.path("ingest_windows")).hasSize(2);
        assertThat(out.has("ingest_first_window_per_s")).isFalse();
        assertThat(out.has("ingest_last_to_first")).isFalse();
    }

    @Test
    void aWindowOfNoKeys_isRefused() {
        assertThatThrownBy(() -> windows(0, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
