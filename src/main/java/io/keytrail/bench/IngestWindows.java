package io.keytrail.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ingest phase cut into windows of a fixed number of room keys (100,000 in a long run), to show what
 * grows with the store (issue 13: "ingest rate of the last 100,000 within 20% of the first 100,000"). After
 * each window, outside the timed part: the Ed25519 rate is sampled again (the machine's speed moves within a
 * long run, so each window is divided by the bound measured on either side of it), the heap is measured
 * after a full collection, and the store's size on disk is read.
 */
final class IngestWindows {
    private final int size;
    private final DoubleSupplier ed25519Rate;
    private final LongSupplier storeBytes;
    private final DoubleSupplier heapMb;
    private final PrintStream progress;
    private final List<Window> windows = new ArrayList<>();
    private final List<Double> rates = new ArrayList<>();
    private int keys;
    private long nanos;
    private long storeBefore;

    /** One closed window: its keys, their timed nanoseconds, the rate after it, heap and store after it. */
    record Window(int keys, long nanos, double rateAfter, double heapAfterGcMb, long storeBytes, long storeGrowth) {
        double keysPerSecond() {
            return nanos == 0 ? 0 : keys * 1e9 / nanos;
        }
    }

    /**
     * @param size        room keys per window
     * @param ed25519Rate samples this machine's single-thread verify rate (called before the first window and after each)
     * @param storeBytes  the store's size on disk now
     * @param heapMb      the heap to report after each window: {@link #heapAfterFullGcMb()} unless told otherwise
     */
    IngestWindows(int size, DoubleSupplier ed25519Rate, LongSupplier storeBytes, DoubleSupplier heapMb,
                  PrintStream progress) {
        if (size < 1) {
            throw new IllegalArgumentException("a window needs at least one key");
        }
        this.size = size;
        this.ed25519Rate = ed25519Rate;
        this.storeBytes = storeBytes;
        this.heapMb = heapMb;
        this.progress = progress;
    }

    int size() {
        return size;
    }

    /** Before the first timed batch. */
    void start() {
        rates.add(ed25519Rate.getAsDouble());
        storeBefore = storeBytes.getAsLong();
        progress.printf("bench: Ed25519 before the first window: %.0f/s%n", rates.get(0));
    }

    /** After each timed batch of {@code batchKeys} keys that took {@code batchNanos}. */
    void add(int batchKeys, long batchNanos) {
        keys += batchKeys;
        nanos += batchNanos;
        if (keys >= size) {
            close();
        }
    }

    /** After the last batch: a partial window left open is closed (and reported, but never first or last). */
    void finish() {
        if (keys > 0) {
            close();
        }
    }

    List<Window> windows() {
        return List.copyOf(windows);
    }

    private void close() {
        double heap = heapMb.getAsDouble();
        long store = storeBytes.getAsLong();
        double rate = ed25519Rate.getAsDouble();
        rates.add(rate);
        Window window = new Window(keys, nanos, rate, heap, store, store - storeBefore);
        windows.add(window);
        storeBefore = store;
        progress.printf("bench: window %d: %d keys at %.0f keys/s (Ed25519 %.0f/s), heap after GC %.0f MB, "
                        + "store %.1f MB%n", windows.size(), keys, window.keysPerSecond(), rate, heap,
                store / (1024.0 * 1024.0));
        progress.flush();
        keys = 0;
        nanos = 0;
    }

    /**
     * Every window, then the first and last full windows' rates and their ratio, raw and divided by the
     * bound around each (the figure that survives a machine whose speed moved between them).
     */
    void report(ObjectNode out) {
        out.put("ingest_window_keys", size);
        ArrayNode rows = out.putArray("ingest_windows");
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            double bound = bound(i);
            ObjectNode row = rows.addObject();
            row.put("keys", w.keys());
            row.put("keys_per_s", BenchRun.round(w.keysPerSecond()));
            row.put("bound_per_s", BenchRun.round(bound));
            row.put("to_bound", ratio(w.keysPerSecond(), bound));
            row.put("heap_after_gc_mb", BenchRun.round(w.heapAfterGcMb()));
            row.put("store_bytes", w.storeBytes());
            row.put("store_growth_bytes_per_key", w.keys() == 0 ? 0 : w.storeGrowth() / w.keys());
        }
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).keys() >= size) {
                full.add(i);
            }
        }
        if (full.size() < 2) {
            return;
        }
        int first = full.get(0);
        int last = full.get(full.size() - 1);
        double firstRate = windows.get(first).keysPerSecond();
        double lastRate = windows.get(last).keysPerSecond();
        out.put("ingest_first_window_per_s", BenchRun.round(firstRate));
        out.put("ingest_last_window_per_s", BenchRun.round(lastRate));
        out.put("ingest_last_to_first", ratio(lastRate, firstRate));
        out.put("ingest_last_to_first_to_bound", ratio(lastRate / bound(last), firstRate / bound(first)));
        out.put("heap_after_gc_mb_first_window", BenchRun.round(windows.get(first).heapAfterGcMb()));
        out.put("heap_after_gc_mb_last_window", BenchRun.round(windows.get(last).heapAfterGcMb()));
    }

    /** {@value BenchCommand#BOUND_CORES} x the mean of the Ed25519 rates sampled before and after window {@code i}. */
    private double bound(int i) {
        return BenchCommand.BOUND_CORES * (rates.get(i) + rates.get(i + 1)) / 2;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : Math.round(a / b * 10_000) / 10_000.0;
    }

    /** Heap in use after a full collection (outside the timed part): what the engine really keeps. */
    static double heapAfterFullGcMb() {
        System.gc();
        return heapInUseMb();
    }

    /**
     * Heap in use now, no collection forced ({@code bench --no-full-gc}): an upper bound of what the engine
     * keeps, without a full collection's cost after every window (a second or more in a big heap).
     */
    static double heapInUseMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
