package io.keytrail.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

/**
 * {@code java -jar keytrail.jar replay FILE.jsonl [--store DIR]}: the output contract of design
 * section 10. Standard output carries only the result lines; everything else (Spring, Axon,
 * Hibernate logs, and anything a library prints to {@code System.out}) goes to standard error.
 *
 * <p>Exit status: 0 when the file was processed (bad inputs are reported on their lines), 2 for a
 * usage error or a file or store that cannot be used, 1 when the engine itself failed.
 */
public final class ReplayCommand {
    static final int PROGRESS_THRESHOLD = 1000;

    static final String USAGE = "usage: java -jar keytrail.jar replay FILE.jsonl [--store DIR]\n"
            + "  FILE.jsonl   a recording, one input object per line (design section 10)\n"
            + "  --store DIR  keep the store in DIR (created if missing; a later replay continues from it);\n"
            + "               without it a throwaway store is used and deleted at the end";

    private ReplayCommand() {
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
        Path file = null;
        Path store = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg)) {
                stderr.println(USAGE);
                return 0;
            } else if ("--store".equals(arg)) {
                if (i + 1 >= args.length || args[i + 1].isEmpty()) {
                    stderr.println("replay: --store needs a directory");
                    return usage(stderr);
                }
                store = Path.of(args[++i]);
            } else if (arg.startsWith("--store=") && arg.length() > "--store=".length()) {
                store = Path.of(arg.substring("--store=".length()));
            } else if (file == null && !arg.startsWith("-")) {
                file = Path.of(arg);
            } else {
                stderr.println("replay: unexpected argument " + arg);
                return usage(stderr);
            }
        }
        if (file == null) {
            stderr.println("replay: no recording given");
            return usage(stderr);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            stderr.println("replay: cannot read " + file + (Files.isDirectory(file) ? " (a directory)" : " (no such file)"));
            return 2;
        }
        boolean throwaway = store == null;
        Path dir;
        try {
            dir = !throwaway ? Files.createDirectories(store) : tempParent == null
                    ? Files.createTempDirectory("keytrail-replay-") : Files.createTempDirectory(tempParent, "keytrail-replay-");
        } catch (IOException e) {
            stderr.println("replay: cannot use " + store + " as the store: " + e);
            return 2;
        }
        PrintStream systemOut = System.out;
        // Libraries that print to System.out must not mix with the result lines.
        System.setOut(stderr);
        // Not closed: standard output belongs to the caller.
        Writer out = new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
        try (ConfigurableApplicationContext context = CliContext.start(dir)) {
            replay(context, file, out);
            return 0;
        } catch (IOException e) {
            stderr.println("replay: cannot read " + file + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            stderr.println("replay: the engine failed (store " + dir.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return 1;
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
            while ((line = reader.next()) != null) {
                if (line.blank()) {
                    continue;
                }
                ObjectNode outcome = mapper.createObjectNode();
                outcome.put("line", line.number());
                outcome.setAll(runLine(mapper, processor, line, progress(progressOut, line.number())));
                writeLine(mapper, outcome, out);
            }
        }
        for (SessionRow row : context.getBean(Directory.class).allSessions()) {
            ObjectNode session = mapper.createObjectNode();
            session.set("session", Views.session(mapper, SessionViews.of(row)));
            writeLine(mapper, session, out);
        }
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

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
