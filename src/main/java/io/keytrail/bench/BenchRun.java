package io.keytrail.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.InputProcessor;
import io.keytrail.api.Outcomes;

/**
 * The timed phases of one {@code bench} run against a started engine: every input goes through
 * {@link InputProcessor}, the one entry behind replay, HTTP arrays and the facade, so a faster write
 * path shows here unchanged. Figures land in {@code out} under the names of {@link BenchCommand}'s JSON line.
 */
final class BenchRun {
    /** Sizes of one run. */
    record Sizes(int keys, int devices, int batch, int events, int imports, int stalledKeys, int warmUpKeys,
                 int exportRounds) {
    }

    /** Every {@value}-th key of the stalled phase comes from a device nobody announced: it wakes the slow lane. */
    static final int UNKNOWN_EVERY = 10;
    /** PBKDF2 rounds of the generated key export file unless {@code --export-rounds} says otherwise. */
    static final int EXPORT_ROUNDS = 100_000;

    private final ObjectMapper mapper;
    private final InputProcessor processor;
    private final Workload workload;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int errors;
    private int sessions;

    BenchRun(ObjectMapper mapper, InputProcessor processor, Workload workload, Sizes sizes, PrintStream progress) {
        this.mapper = mapper;
        this.processor = processor;
        this.workload = workload;
        this.sizes = sizes;
        this.progress = progress;
    }

    /** Our device and every known user's keys, then warm-up keys (not timed). */
    void prepare() {
        expectSuccess(run(workload.ownDevice()), "own_device");
        expectSuccess(run(workload.keysQueryResponse()), "keys_query_response");
        say("warm-up: %d room keys", sizes.warmUpKeys());
        ingest(sizes.warmUpKeys(), 0, null);
        outcomes.clear();
    }

    /**
     * Steady ingest of room keys from cross-signed devices whose keys are known, measured per window of
     * {@link IngestWindows#size()} keys as well as a whole.
     */
    void ingest(ObjectNode out, IngestWindows windows) {
        say("ingest: %d room keys from %d cross-signed devices in batches of %d, windows of %d", sizes.keys(),
                sizes.devices(), sizes.batch(), windows.size());
        int errorsBefore = errors;
        windows.start();
        Timings timings = ingest(sizes.keys(), 0, windows);
        windows.finish();
        windows.report(out);
        out.put("ingest_keys_per_s", round(timings.rate(sizes.keys())));
        out.put("ingest_batch_p50_ms", round2(timings.percentileMillis(50)));
        out.put("ingest_batch_p99_ms", round2(timings.percentileMillis(99)));
        out.put("ingest_batches", timings.count());
        out.put("ingest_errors", errors - errorsBefore);
        ObjectNode decided = out.putObject("ingest_sender_data");
        outcomes.forEach(decided::put);
        outcomes.clear();
    }

    /** The same, while the homeserver holds every {@code /keys/query} the slow lane sends. */
    void ingestWhileStalled(ObjectNode out, StallingHomeserver homeserver) {
        say("stalled: %d room keys (every %dth from an unknown device) while the homeserver holds every query",
                sizes.stalledKeys(), UNKNOWN_EVERY);
        int errorsBefore = errors;
        homeserver.stall();
        Timings timings = ingest(sizes.stalledKeys(), UNKNOWN_EVERY, null);
        out.put("stalled_ingest_keys_per_s", round(timings.rate(sizes.stalledKeys())));
        out.put("stalled_batch_p50_ms", round2(timings.percentileMillis(50)));
        out.put("stalled_batch_p99_ms", round2(timings.percentileMillis(99)));
        out.put("stalled_errors", errors - errorsBefore);
        // After the timed part: the slow lane is asynchronous, so give its first query a bounded moment.
        try {
            out.put("stalled_query_reached_homeserver", homeserver.awaitRequest(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.put("stalled_homeserver_requests", homeserver.requests());
        outcomes.clear();
    }

    /** Decryption with policy {@value Workload#POLICY}, one event at a time, each a new event id. */
    void decrypt(ObjectNode out) {
        List<JsonNode> events = workload.decrypts(sizes.events());
        say("decrypt: %d events, policy %s", events.size(), Workload.POLICY);
        int errorsBefore = errors;
        Timings timings = new Timings();
        for (JsonNode event : events) {
            long start = System.nanoTime();
            ObjectNode outcome = run(event);
            timings.add(System.nanoTime() - start);
            count(outcome, "decrypt");
        }
        out.put("decrypt_per_s", round(timings.rate(events.size())));
        out.put("decrypt_p99_ms", round2(timings.percentileMillis(99)));
        out.put("decrypt_errors", errors - errorsBefore);
    }

    /**
     * The same on two threads at once, each with its own events (HTTP requests in parallel): shows
     * whether decryptions wait for one another.
     */
    void decryptOnTwoThreads(ObjectNode out) throws InterruptedException {
        List<JsonNode> first = workload.decrypts(sizes.events() / 2);
        List<JsonNode> second = workload.decrypts(sizes.events() / 2);
        int errorsBefore = errors;
        int[] failed = new int[2];
        Thread other = new Thread(() -> second.forEach(e -> failed[1] += run(e).has("error") ? 1 : 0), "bench-decrypt-2");
        long start = System.nanoTime();
        other.start();
        first.forEach(e -> failed[0] += run(e).has("error") ? 1 : 0);
        other.join();
        long elapsed = System.nanoTime() - start;
        errors += failed[0] + failed[1];
        out.put("decrypt_2_threads_per_s", round((first.size() + second.size()) * 1e9 / elapsed));
        out.put("decrypt_2_threads_errors", errors - errorsBefore);
    }

    /**
     * The same events in arrays of {@code --batch} decrypt inputs, as an HTTP array or a replay run hands
     * them to {@link InputProcessor#processAll} (a sync's room events at once).
     */
    void decryptInBatches(ObjectNode out) {
        List<JsonNode> events = workload.decrypts(sizes.events());
        say("decrypt in batches: %d events in arrays of %d, policy %s", events.size(), sizes.batch(), Workload.POLICY);
        int errorsBefore = errors;
        Timings timings = new Timings();
        for (int from = 0; from < events.size(); from += sizes.batch()) {
            List<JsonNode> array = events.subList(from, Math.min(events.size(), from + sizes.batch()));
            long start = System.nanoTime();
            List<ObjectNode> answers = processor.processAll(array);
            timings.add(System.nanoTime() - start);
            answers.forEach(answer -> count(answer, "decrypt"));
        }
        out.put("decrypt_batch_per_s", round(timings.rate(events.size())));
        out.put("decrypt_batch_p99_ms", round2(timings.percentileMillis(99)));
        out.put("decrypt_batch_errors", errors - errorsBefore);
    }

    /** One key export file of {@code imports} sessions ({@link Sizes#exportRounds()} PBKDF2 rounds, included in the time). */
    void importExport(ObjectNode out) {
        JsonNode input = workload.keyExport(sizes.imports(), "bench passphrase", sizes.exportRounds());
        say("import: a key export file of %d sessions", sizes.imports());
        long start = System.nanoTime();
        ObjectNode outcome = run(input);
        long elapsed = System.nanoTime() - start;
        JsonNode result = outcome.path("result");
        int imported = result.path("imported").size();
        if (outcome.has("error") || result.path("failed").size() > 0) {
            errors++;
            say("import: %s", outcome.has("error") ? outcome.get("error") : result.path("failed").size() + " failed");
        }
        sessions += imported;
        out.put("import_per_s", round(imported * 1e9 / elapsed));
        out.put("import_sessions", imported);
    }

    int sessions() {
        return sessions;
    }

    int errors() {
        return errors;
    }

    /** @param windows told of every timed batch, or null */
    private Timings ingest(int count, int unknownEvery, IngestWindows windows) {
        Timings timings = new Timings();
        int done = 0;
        long nextReport = System.nanoTime() + 5_000_000_000L;
        while (done < count) {
            List<JsonNode> batch = workload.roomKeys(Math.min(sizes.batch(), count - done), unknownEvery);
            long start = System.nanoTime();
            List<ObjectNode> answers = ingestBatch(batch);
            long elapsed = System.nanoTime() - start;
            timings.add(elapsed);
            answers.forEach(answer -> count(answer, "room_key"));
            done += batch.size();
            if (windows != null) {
                windows.add(batch.size(), elapsed);
            }
            if (System.nanoTime() - nextReport >= 0) {
                say("  %d/%d keys, %.0f keys/s so far", done, count, timings.rate(done));
                nextReport = System.nanoTime() + 5_000_000_000L;
            }
        }
        return timings;
    }

    /**
     * One batch, as an HTTP array or a replay runs it: {@link InputProcessor#processAll}, which decides and
     * writes a run of room keys together (ADR 0017).
     */
    private List<ObjectNode> ingestBatch(List<JsonNode> batch) {
        return processor.processAll(batch);
    }

    private ObjectNode run(JsonNode input) {
        return Outcomes.run(mapper, processor, input);
    }

    private void count(ObjectNode outcome, String what) {
        if (outcome.has("error")) {
            errors++;
            if (errors <= 3) {
                say("%s failed: %s", what, outcome.get("error").path("code").asText());
            }
            return;
        }
        if (what.equals("room_key")) {
            sessions++;
            JsonNode senderData = outcome.path("result").path("sender_data");
            String state = senderData.isObject() && senderData.fieldNames().hasNext() ? senderData.fieldNames().next()
                    : senderData.asText();
            outcomes.merge(state, 1, Integer::sum);
        }
    }

    private void expectSuccess(ObjectNode outcome, String what) {
        if (outcome.has("error")) {
            throw new IllegalStateException("the benchmark's " + what + " input was refused: " + outcome.get("error"));
        }
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(format, args));
        progress.flush();
    }

    /** Resets the peak of every heap pool, so {@link #heapPeakMb()} covers what follows. */
    static void resetHeapPeak() {
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since {@link #resetHeapPeak()}: an upper bound of the peak heap. */
    static double heapPeakMb() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024.0 * 1024.0);
    }

    static long round(double value) {
        return Math.round(value);
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
