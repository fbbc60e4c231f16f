package io.keytrail.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.CliContext;
import io.keytrail.api.InputProcessor;
import io.keytrail.api.KeytrailCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar keytrail.jar bench [--keys N --devices M --batch B --events K --imports I --stalled S
 * --window W --ingest-only --store DIR --quick --ed25519-ms MS --no-full-gc --export-rounds R]}: generates a realistic workload, measures this machine's Ed25519 verify rate in
 * the same run, and times durable ingest, decryption and import through the engine's one input entry.
 * Progress and logs go to standard error; the last line of standard output is one JSON object
 * (README.md, section "Benchmark"; docs/performance.md for what the figures mean).
 *
 * <p>The engine runs as the service does: H2 file store with {@code WRITE_DELAY=0} (every commit on
 * disk before the answer), the slow lane on against a loopback stub homeserver.
 */
@Command(name = "bench", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar bench [--keys N] [--devices M] [--batch B] [--events K] "
                + "[--imports I] [--stalled S] [--window W] [--ingest-only] [--store DIR] [--quick] [--ed25519-ms MS] "
                + "[--no-full-gc] [--export-rounds R]",
        description = {"Measures ingest, decryption and import on this machine beside its Ed25519 verify rate; "
                + "the last line of standard output is one JSON object.",
                "See README.md, section \"Benchmark\", and docs/performance.md."},
        footerHeading = "%n", footer = {"Exit status: 0 measured; 1 the engine failed or refused a generated "
                + "input (the JSON line is still printed); 2 a usage error, or a store that cannot be used."})
public final class BenchCommand implements Callable<Integer> {
    /** Bound = this many cores x the single-thread Ed25519 verify rate (the issue's two-core target machine). */
    static final int BOUND_CORES = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--keys", paramLabel = "N", description = "room keys in the timed ingest (default 20000; --quick 500)")
    Integer keys;
    @Option(names = "--devices", paramLabel = "M", description = "cross-signed sending devices, two per user (default 50)")
    Integer devices;
    @Option(names = "--batch", paramLabel = "B", description = "room keys per batch, and decrypt inputs per array, as an HTTP array (default 100, at most 1000)")
    Integer batch;
    @Option(names = "--events", paramLabel = "K", description = "encrypted events to decrypt (default 10000; --quick 500)")
    Integer events;
    @Option(names = "--imports", paramLabel = "I", description = "sessions in the imported key export file (default 5000; --quick 300)")
    Integer imports;
    @Option(names = "--stalled", paramLabel = "S", description = "room keys ingested while the homeserver stalls (default 2000; --quick 200)")
    Integer stalled;
    @Option(names = "--store", paramLabel = "DIR", description = "keep the store in DIR, which must not hold a store yet "
            + "(default: a throwaway store, deleted at the end)")
    Path store;
    @Option(names = "--quick", description = "smaller defaults: done in well under a minute")
    boolean quick;
    @Option(names = "--window", paramLabel = "W", description = "room keys per ingest window, each reported with its rate, "
            + "the Ed25519 rate around it, heap after GC and store size (default 100000 from 200000 keys on, "
            + "else a tenth of the keys)")
    Integer window;
    @Option(names = "--ingest-only", description = "only the ingest phase (no decrypt, import or stalled phase): "
            + "for a long run such as --keys 1000000")
    boolean ingestOnly;
    @Option(names = "--ed25519-ms", paramLabel = "MS", description = "milliseconds of every Ed25519 rate sample, "
            + "after a warm-up of a fifth of that (default 3000 before the run, 1000 after each phase, 500 around "
            + "each window; --quick 1000, 500, 300): shorter for a smoke run, longer on a noisy machine")
    Integer ed25519Millis;
    @Option(names = "--no-full-gc", description = "each window reports the heap in use as it closes instead of "
            + "forcing a full collection first (heap_after_gc_mb is then an upper bound): for a smoke run or "
            + "many small windows, where a full collection per window costs more than the window")
    boolean noFullGc;
    @Option(names = "--export-rounds", paramLabel = "R", description = "PBKDF2 rounds of the generated key export "
            + "file, whose derivation (once to write, once to import) is part of import_per_s (default 100000)")
    Integer exportRounds;

    private final PrintStream out;
    private final PrintStream err;
    private final Path tempParent;

    BenchCommand(PrintStream out, PrintStream err, Path tempParent) {
        this.out = out;
        this.err = err;
        this.tempParent = tempParent;
    }

    /** Registers this command with {@link KeytrailCli} (META-INF/services). */
    public static final class Provider implements KeytrailCli.Extension {
        @Override
        public Object command(PrintStream out, PrintStream err, Path tempParent) {
            return new BenchCommand(out, err, tempParent);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchRun.Sizes sizes = sizes();
        boolean throwaway = store == null;
        Path dir = storeDirectory(throwaway);
        PrintStream systemOut = System.out;
        ObjectNode figures = new ObjectMapper().createObjectNode();
        int status = KeytrailCli.OK;
        try {
            CliContext.check(dir, false);
            System.setOut(err);
            err.println("bench: measuring the single-thread Ed25519 verify rate …");
            // The rate is measured again after every phase: on a shared machine the load moves within a run,
            // so each phase is divided by the bound measured on either side of it.
            List<Double> rates = new ArrayList<>();
            rates.add(ed25519Rate(quick ? 300 : 1000, quick ? 1000 : 3000));
            BenchRun run;
            try (StallingHomeserver homeserver = StallingHomeserver.start();
                 ConfigurableApplicationContext context = CliContext.start(dir, "bench", err, settings(homeserver))) {
                run = new BenchRun(context.getBean(ObjectMapper.class), context.getBean(InputProcessor.class),
                        new Workload(sizes.devices()), sizes, err);
                EngineIdle idle = new EngineIdle(context, err);
                run.prepare();
                BenchRun.resetHeapPeak();
                idle.await();
                run.ingest(figures, new IngestWindows(windowSize(sizes), this::rateAroundWindow,
                        () -> directorySizeOrZero(dir),
                        noFullGc ? IngestWindows::heapInUseMb : IngestWindows::heapAfterFullGcMb, err));
                rates.add(rateBetweenPhases());
                if (!ingestOnly) {
                    idle.await();
                    run.decrypt(figures);
                    run.decryptOnTwoThreads(figures);
                    run.decryptInBatches(figures);
                    rates.add(rateBetweenPhases());
                    idle.await();
                    run.importExport(figures);
                    rates.add(rateBetweenPhases());
                    idle.await();
                    run.ingestWhileStalled(figures, homeserver);
                }
                figures.put("heap_peak_mb", BenchRun.round(BenchRun.heapPeakMb()));
                // While open: H2 compacts its file when it closes, so both sizes are worth knowing.
                long open = directorySize(dir);
                figures.put("store_bytes_open", open);
                figures.put("disk_bytes_per_session_open", run.sessions() == 0 ? 0 : open / run.sessions());
                homeserver.release();
            }
            if (!ingestOnly) {
                rates.add(rateBetweenPhases());
            }
            summarise(figures, sizes, rates, run, dir);
            if (run.errors() > 0) {
                err.println("bench: " + run.errors() + " generated inputs were refused or failed; see above");
                status = KeytrailCli.ENGINE_FAILED;
            }
        } catch (CliContext.UnusableStore e) {
            err.println("bench: " + e.getMessage());
            return KeytrailCli.USAGE;
        } finally {
            System.setOut(systemOut);
            if (throwaway) {
                deleteTree(dir);
            }
        }
        out.println(figures);
        out.flush();
        return status;
    }

    private BenchRun.Sizes sizes() {
        if (ed25519Millis != null) {
            positive(ed25519Millis, 0, "--ed25519-ms");
        }
        int n = positive(keys, quick ? 500 : 20_000, "--keys");
        int b = positive(batch, 100, "--batch");
        if (b > 1000) {
            throw new ParameterException(spec.commandLine(), "--batch must be at most 1000 (the HTTP array limit)");
        }
        return new BenchRun.Sizes(n, positive(devices, 50, "--devices"), b,
                positive(events, quick ? 500 : 10_000, "--events"), positive(imports, quick ? 300 : 5_000, "--imports"),
                positive(stalled, quick ? 200 : 2_000, "--stalled"), Math.max(b, Math.min(1_000, n / 10)),
                positive(exportRounds, BenchRun.EXPORT_ROUNDS, "--export-rounds"));
    }

    /** The window: {@code --window}, else 100,000 keys in a run of 200,000 or more, else a tenth of the run; whole batches. */
    private int windowSize(BenchRun.Sizes sizes) {
        int w = window != null ? positive(window, 0, "--window")
                : sizes.keys() >= 200_000 ? 100_000 : Math.max(1, sizes.keys() / 10);
        return Math.max(sizes.batch(), w / sizes.batch() * sizes.batch());
    }

    private int positive(Integer given, int otherwise, String option) {
        int value = given == null ? otherwise : given;
        if (value < 1 || value > 10_000_000) {
            throw new ParameterException(spec.commandLine(), option + " must be between 1 and 10000000");
        }
        return value;
    }

    private Path storeDirectory(boolean throwaway) throws IOException {
        if (throwaway) {
            return tempParent == null ? Files.createTempDirectory("keytrail-bench-")
                    : Files.createTempDirectory(tempParent, "keytrail-bench-");
        }
        if (store.toString().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--store needs a directory");
        }
        if (Files.exists(store.resolve("keytrail.mv.db"))) {
            throw new ParameterException(spec.commandLine(), "--store " + store + " already holds a store; the "
                    + "benchmark needs an empty one (its generated sessions would be re-receipts)");
        }
        if (Files.exists(store) && !Files.isDirectory(store)) {
            throw new ParameterException(spec.commandLine(), "--store " + store + " is not a directory");
        }
        return Files.createDirectories(store);
    }

    /** The service's configuration, with the slow lane pointed at the stub and no retry inside the run. */
    private static Map<String, String> settings(StallingHomeserver homeserver) {
        return Map.of("keytrail.homeserver.base-url", homeserver.baseUrl(),
                "keytrail.homeserver.read-timeout", "600s",
                "keytrail.retry.initial-delay", "10m",
                "keytrail.lanes.saga-processor.auto-start", "true",
                "db-scheduler.enabled", "true");
    }

    /** A shorter sample than between phases: a long run has one per window. */
    private double rateAroundWindow() {
        return ed25519Rate(100, quick ? 300 : 500);
    }

    private double rateBetweenPhases() {
        return ed25519Rate(100, quick ? 500 : 1000);
    }

    /** One Ed25519 sample: the given lengths, or {@code --ed25519-ms} (warm-up a fifth of it) when given. */
    private double ed25519Rate(long warmUpMillis, long measureMillis) {
        return ed25519Millis == null ? Ed25519Rate.measure(warmUpMillis, measureMillis)
                : Ed25519Rate.measure(ed25519Millis / 5, ed25519Millis);
    }

    /**
     * @param rates the Ed25519 rates measured before the ingest, after it, after decryption, after the
     *              import and after the stalled ingest (the first two only with {@code --ingest-only})
     */
    private void summarise(ObjectNode figures, BenchRun.Sizes sizes, List<Double> rates, BenchRun run, Path dir)
            throws IOException {
        double rate = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double bound = BOUND_CORES * rate;
        ObjectNode head = new ObjectMapper().createObjectNode();
        head.put("ed25519_verify_per_s", BenchRun.round(rate));
        rates.forEach(r -> head.withArray("ed25519_verify_per_s_samples").add(BenchRun.round(r)));
        head.put("bound_per_s", BenchRun.round(bound));
        head.put("bound", BOUND_CORES + " x ed25519_verify_per_s");
        head.put("available_processors", Runtime.getRuntime().availableProcessors());
        head.setAll(figures);
        head.put("ingest_to_bound", ratio(figures.path("ingest_keys_per_s").asDouble(), around(rates, 0)));
        if (!ingestOnly) {
            head.put("decrypt_to_bound", ratio(figures.path("decrypt_per_s").asDouble(), around(rates, 1)));
            head.put("decrypt_batch_to_bound", ratio(figures.path("decrypt_batch_per_s").asDouble(),
                    around(rates, 1)));
            head.put("import_to_bound", ratio(figures.path("import_per_s").asDouble(), around(rates, 2)));
            head.put("stalled_ingest_to_bound", ratio(figures.path("stalled_ingest_keys_per_s").asDouble(),
                    around(rates, 3)));
        }
        long bytes = directorySize(dir);
        head.put("sessions_stored", run.sessions());
        head.put("store_bytes", bytes);
        head.put("disk_bytes_per_session", run.sessions() == 0 ? 0 : bytes / run.sessions());
        head.put("keys", sizes.keys());
        head.put("devices", sizes.devices());
        head.put("batch", sizes.batch());
        head.put("ingest_only", ingestOnly);
        if (!ingestOnly) {
            head.put("events", sizes.events());
            head.put("imports", sizes.imports());
            head.put("stalled_keys", sizes.stalledKeys());
        }
        head.put("warm_up_keys", sizes.warmUpKeys());
        head.put("errors", run.errors());
        figures.removeAll();
        figures.setAll(head);
    }

    /** The bound around phase {@code phase}: {@value #BOUND_CORES} x the mean of the rates on either side of it. */
    static double around(List<Double> rates, int phase) {
        return BOUND_CORES * (rates.get(phase) + rates.get(phase + 1)) / 2;
    }

    private static double ratio(double rate, double bound) {
        return bound == 0 ? 0 : Math.round(rate / bound * 10_000) / 10_000.0;
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The store's size for a window's row: 0 if it could not be read (a file vanished during the walk), never thrown. */
    private static long directorySizeOrZero(Path dir) {
        try {
            return directorySize(dir);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
