package io.keytrail.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.Directory;
import io.keytrail.directory.SessionRow;
import io.keytrail.errors.RefusalCode;
import io.keytrail.imports.ImportProgress;
import io.keytrail.directory.SessionViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar keytrail.jar replay FILE.jsonl [--store DIR]}: the output contract of design
 * section 10 (README.md, sections "Quick start" and "Recording format"). Standard output carries only
 * the result lines; everything else (help, progress, Spring, Axon, Hibernate logs, and anything a
 * library prints to {@code System.out}) goes to standard error.
 *
 * <p>Exit status: 0 when the file was processed (bad inputs are reported on their lines), 2 for a
 * usage error or a file or store that cannot be used, 1 when the engine itself failed.
 */
@Command(name = "replay", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar replay FILE.jsonl [--store DIR]",
        description = {"Replays a recording: one input object per line, one JSON result per line on standard "
                + "output, then one line per stored session.",
                "See README.md, sections \"Quick start\" and \"Recording format\"."},
        footerHeading = "%n", footer = {"Exit status: 0 the file was processed (bad inputs are reported on their "
                + "own lines); 1 the engine failed; 2 a usage error, or a file or store that cannot be used."})
public final class ReplayCommand implements Callable<Integer> {
    static final int PROGRESS_THRESHOLD = 1000;
    /** Sessions read per page for the final session lines. */
    static final int SESSION_PAGE = 500;
    /** A long replay says how far it got on standard error at most this often. */
    static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.jsonl",
            description = "a recording, one input object per line")
    Path file;

    @Option(names = "--store", paramLabel = "DIR", description = {"keep the store in DIR (created if missing; a "
            + "later replay continues from it); without it a throwaway store is used and deleted at the end"})
    Path store;

    private final KeytrailCli.Io io;

    ReplayCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /**
     * @param args    {@code replay FILE [--store DIR]} ({@code args[0]} is the word {@code replay})
     * @param stdout  where the result lines go
     * @param stderr  where messages and logs go
     */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        return run(args, stdout, stderr, null);
    }

    /** @param tempParent where the throwaway store is created ({@code null}: the system's temp directory) */
    static int run(String[] args, PrintStream stdout, PrintStream stderr, Path tempParent) {
        return KeytrailCli.execute(args, new KeytrailCli.Io(stdout, stderr, tempParent));
    }

    @Override
    public Integer call() {
        PrintStream stderr = io.err();
        if (store != null && store.toString().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--store needs a directory");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            stderr.println("replay: cannot read " + file + (Files.isDirectory(file) ? " (a directory)"
                    : Files.exists(file) ? " (not a readable file)" : " (no such file)"));
            return KeytrailCli.USAGE;
        }
        boolean throwaway = store == null;
        Path dir;
        try {
            dir = !throwaway ? Files.createDirectories(store) : io.tempParent() == null
                    ? Files.createTempDirectory("keytrail-replay-")
                    : Files.createTempDirectory(io.tempParent(), "keytrail-replay-");
        } catch (IOException e) {
            stderr.println("replay: cannot use " + store + " as the store: "
                    + (Files.exists(store) && !Files.isDirectory(store) ? "it is not a directory" : e.toString()));
            return KeytrailCli.USAGE;
        }
        PrintStream systemOut = System.out;
        // Not closed: standard output belongs to the caller.
        Writer out = new OutputStreamWriter(io.out(), StandardCharsets.UTF_8);
        try {
            CliContext.check(dir, false);
            // Libraries that print to System.out must not mix with the result lines.
            System.setOut(stderr);
            try (ConfigurableApplicationContext context = CliContext.start(dir, "replay", stderr)) {
                replay(context, file, out, stderr);
                return KeytrailCli.OK;
            }
        } catch (CliContext.UnusableStore e) {
            stderr.println("replay: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (IOException e) {
            stderr.println("replay: cannot read " + file + ": " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RuntimeException e) {
            stderr.println("replay: the engine failed (store " + dir.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return KeytrailCli.ENGINE_FAILED;
        } finally {
            System.setOut(systemOut);
            if (throwaway) {
                deleteTree(dir);
            }
        }
    }

    /** Writes one result line per non-blank input line, then one line per stored session. */
    static void replay(ConfigurableApplicationContext context, Path file, Writer out) throws IOException {
        replay(context, file, out, System.err);
    }

    /** As above; progress of big imports goes to {@code progressOut} (standard error), never to {@code out}. */
    static void replay(ConfigurableApplicationContext context, Path file, Writer out, PrintStream progressOut)
            throws IOException {
        ObjectMapper mapper = context.getBean(ObjectMapper.class);
        InputProcessor processor = context.getBean(InputProcessor.class);
        try (RecordingReader reader = new RecordingReader(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                RecordingReader.DEFAULT_MAX_LINE_BYTES)) {
            RecordingReader.Line line;
            long nextReport = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
            // Consecutive room_key lines are decided together (ADR 0017), consecutive decrypt lines decrypted
            // together (ADR 0021), each still answered on its line.
            List<Integer> runLines = new ArrayList<>();
            List<JsonNode> run = new ArrayList<>();
            String runKind = null;
            while ((line = reader.next()) != null) {
                if (line.blank()) {
                    continue;
                }
                JsonNode batchable = batchableOf(line);
                String kind = InputProcessor.batchKind(batchable);
                if (kind != null && kind.equals(runKind) && run.size() < InputProcessor.limit(kind)) {
                    runLines.add(line.number());
                    run.add(batchable);
                    continue;
                }
                nextReport = reportAfter(writeRun(mapper, processor, runLines, run, out), nextReport, progressOut);
                runKind = kind;
                if (kind != null) {
                    runLines.add(line.number());
                    run.add(batchable);
                    continue;
                }
                ObjectNode outcome = mapper.createObjectNode();
                outcome.put("line", line.number());
                outcome.setAll(runLine(mapper, processor, line, progress(progressOut, line.number())));
                writeLine(mapper, outcome, out);
                nextReport = reportAfter(line.number(), nextReport, progressOut);
            }
            reportAfter(writeRun(mapper, processor, runLines, run, out), nextReport, progressOut);
        }
        writeSessions(context.getBean(Directory.class), mapper, out, SESSION_PAGE);
    }

    /** The final session lines, read {@code pageSize} sessions at a time (a store may hold millions). */
    static void writeSessions(Directory directory, ObjectMapper mapper, Writer out, int pageSize) throws IOException {
        long after = Long.MIN_VALUE;
        List<SessionRow> page;
        do {
            page = directory.sessionsAfter(after, pageSize);
            for (SessionRow row : page) {
                ObjectNode session = mapper.createObjectNode();
                session.set("session", Views.session(mapper, SessionViews.of(row)));
                writeLine(mapper, session, out);
                after = row.getPosition();
            }
        } while (page.size() == pageSize);
    }

    /** Names the line reached on standard error when the report is due; returns when the next one is. */
    private static long reportAfter(long lineNumber, long nextReport, PrintStream progressOut) {
        if (lineNumber < 0 || System.nanoTime() - nextReport < 0) {
            return nextReport;
        }
        progressOut.println("replay: line " + lineNumber + " done …");
        progressOut.flush();
        return System.nanoTime() + PROGRESS_INTERVAL_NANOS;
    }

    /**
     * The line's input when it is a well-formed {@code room_key} or {@code decrypt} object
     * ({@link InputProcessor#batchKind}), else null (run on its own).
     */
    private static JsonNode batchableOf(RecordingReader.Line line) {
        if (line.problem() != null || !(line.text().contains("\"room_key\"") || line.text().contains("\"decrypt\""))) {
            return null; // e.g. a large import line is parsed once, by its own run
        }
        try {
            JsonNode input = JsonInput.parse(line.text());
            return InputProcessor.batchKind(input) != null ? input : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Answers a run of room-key or decrypt lines in order, then empties it; returns its last line number, or -1. */
    private static long writeRun(ObjectMapper mapper, InputProcessor processor, List<Integer> lines,
                                 List<JsonNode> run, Writer out) throws IOException {
        if (run.isEmpty()) {
            return -1;
        }
        long last = lines.get(lines.size() - 1);
        List<ObjectNode> outcomes = processor.processAll(run);
        for (int i = 0; i < outcomes.size(); i++) {
            ObjectNode outcome = mapper.createObjectNode();
            outcome.put("line", lines.get(i));
            outcome.setAll(outcomes.get(i));
            writeLine(mapper, outcome, out);
        }
        lines.clear();
        run.clear();
        return last;
    }

    private static void writeLine(ObjectMapper mapper, ObjectNode json, Writer out) throws IOException {
        out.write(mapper.writeValueAsString(json));
        out.write('\n');
        out.flush();
    }

    /** Imports of at least {@value #PROGRESS_THRESHOLD} sessions report each batch on standard error. */
    static ImportProgress progress(PrintStream err, long lineNumber) {
        long start = System.nanoTime();
        return (done, total) -> {
            if (total < PROGRESS_THRESHOLD) {
                return;
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            int width = 30;
            int filled = (int) Math.min(width, total == 0 ? width : done * width / total);
            err.printf("replay: line %d [%s%s] %d/%d sessions, %d/s%n", lineNumber, "#".repeat(filled),
                    ".".repeat(width - filled), done, total, Math.round(done / seconds));
            err.flush();
        };
    }

    private static ObjectNode runLine(ObjectMapper mapper, InputProcessor processor, RecordingReader.Line line,
                                      ImportProgress progress) {
        if (line.problem() != null) {
            return invalid(mapper, line.problem());
        }
        JsonNode input;
        try {
            input = JsonInput.parse(line.text());
        } catch (JsonProcessingException e) {
            return invalid(mapper, "the line is not valid JSON: " + e.getOriginalMessage());
        }
        return Outcomes.run(mapper, processor, input, progress);
    }

    private static ObjectNode invalid(ObjectMapper mapper, String message) {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode error = out.putObject("error");
        error.put("code", RefusalCode.INVALID_INPUT.name());
        error.put("message", message);
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
