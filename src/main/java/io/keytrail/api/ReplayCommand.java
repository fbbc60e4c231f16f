package io.keytrail.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.KeytrailApplication;
import io.keytrail.directory.Directory;
import io.keytrail.intake.ErrorCodes;
import io.keytrail.intake.ImportProgress;
import io.keytrail.intake.SessionView;

/**
 * {@code java -jar keytrail.jar replay FILE.jsonl [--store DIR]}: the output contract of design
 * section 10. Standard output carries only the result lines; everything else (Spring, Axon,
 * Hibernate logs) goes to standard error.
 */
public final class ReplayCommand {
    static final int PROGRESS_THRESHOLD = 1000;

    private ReplayCommand() {
    }

    /** @return the process exit code: 0 when the file was processed, 2 for a usage or file error */
    public static int run(String[] args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        Path file = null;
        Path store = null;
        for (int i = 1; i < args.length; i++) {
            if ("--store".equals(args[i]) && i + 1 < args.length) {
                store = Path.of(args[++i]);
            } else if (args[i].startsWith("--store=")) {
                store = Path.of(args[i].substring("--store=".length()));
            } else if (file == null && !args[i].startsWith("--")) {
                file = Path.of(args[i]);
            } else {
                stderr.println("replay: unexpected argument " + args[i]);
                return usage(stderr);
            }
        }
        if (file == null) {
            return usage(stderr);
        }
        if (!Files.isReadable(file)) {
            stderr.println("replay: cannot read " + file);
            return 2;
        }
        boolean throwaway = store == null;
        try {
            Path dir = throwaway ? Files.createTempDirectory("keytrail-replay-") : store;
            Files.createDirectories(dir);
            System.setOut(stderr);
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
                 ConfigurableApplicationContext context = start(dir)) {
                replay(context, file, out);
                out.flush();
            } finally {
                System.setOut(stdout);
                if (throwaway) {
                    deleteTree(dir);
                }
            }
            return 0;
        } catch (IOException e) {
            stderr.println("replay: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            stderr.println("replay: the engine failed: " + e);
            e.printStackTrace(stderr);
            return 1;
        }
    }

    /**
     * Starts the engine on {@code dir}. The settings go in as command-line arguments, the highest
     * precedence, so that neither application.yml nor the environment can point a replay at the
     * service's own store or at a homeserver: keys come only from the recording.
     */
    static ConfigurableApplicationContext start(Path dir) {
        SpringApplication app = new SpringApplication(KeytrailApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        Path home = dir.toAbsolutePath();
        return app.run(
                "--spring.datasource.url=jdbc:h2:file:" + home.resolve("keytrail"),
                "--keytrail.data-dir=" + home,
                "--keytrail.homeserver.base-url=",
                "--logging.config=classpath:logback-replay.xml",
                "--spring.main.log-startup-info=false");
    }

    static void replay(ConfigurableApplicationContext context, Path file, PrintWriter out) throws IOException {
        replay(context, file, out, System.err);
    }

    /** As above; progress of big imports goes to {@code progressOut} (standard error), never to {@code out}. */
    static void replay(ConfigurableApplicationContext context, Path file, PrintWriter out, PrintStream progressOut)
            throws IOException {
        ObjectMapper mapper = context.getBean(ObjectMapper.class);
        InputProcessor processor = context.getBean(InputProcessor.class);
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode outcome = mapper.createObjectNode();
                outcome.put("line", lineNumber);
                outcome.setAll(runLine(mapper, processor, line, progress(progressOut, lineNumber)));
                out.println(mapper.writeValueAsString(outcome));
            }
        }
        for (var row : context.getBean(Directory.class).allSessions()) {
            SessionView view = io.keytrail.intake.SessionViews.of(row);
            ObjectNode session = mapper.createObjectNode();
            session.set("session", Views.session(mapper, view));
            out.println(mapper.writeValueAsString(session));
        }
    }

    /** Imports of at least {@value #PROGRESS_THRESHOLD} sessions report each batch on standard error. */
    static ImportProgress progress(PrintStream err, int lineNumber) {
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

    private static ObjectNode runLine(ObjectMapper mapper, InputProcessor processor, String line,
                                      ImportProgress progress) {
        JsonNode input;
        try {
            input = JsonInput.parse(line);
        } catch (JsonProcessingException e) {
            ObjectNode out = mapper.createObjectNode();
            ObjectNode error = out.putObject("error");
            error.put("code", ErrorCodes.INVALID_INPUT);
            error.put("message", "the line is not valid JSON: " + e.getOriginalMessage());
            return out;
        }
        return Outcomes.run(mapper, processor, input, progress);
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar keytrail.jar replay FILE.jsonl [--store DIR]");
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
