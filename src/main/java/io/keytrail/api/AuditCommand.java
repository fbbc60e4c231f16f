package io.keytrail.api;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.DecisionReverifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keytrail.jar audit --store DIR [--all]}: re-verifies every decision in a store and
 * prints one JSON line per decision that no longer follows (every decision with {@code --all}), then a
 * summary line. Exit 0 when every decision is confirmed or unverifiable, 3 when one differs, 2 for a
 * usage error or a store that cannot be used, 1 when the engine failed.
 */
@Command(name = "audit", synopsisHeading = "usage: ",
        customSynopsis = {"java -jar keytrail.jar audit --store DIR [--all]",
                "java -jar keytrail.jar audit rotate-key --store DIR"},
        description = {"Re-verifies every decision in a store with today's code: one JSON line per decision that "
                + "no longer follows from its evidence, then a summary line.", "See README.md, section \"Audit trail\"."},
        footerHeading = "%n", footer = {"Exit status: 0 every decision confirmed or unverifiable; 1 the engine "
                + "failed; 2 a usage error, or a store that cannot be used; 3 a decision differs."})
public final class AuditCommand implements Callable<Integer> {
    // Not required for picocli: it would then demand --store before a subcommand (audit rotate-key --store DIR).
    @Option(names = "--store", paramLabel = "DIR",
            description = "the store: a directory written by replay --store, or the service's data directory")
    Path store;

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "print every decision, not only those that differ")
    boolean all;

    private final KeytrailCli.Io io;

    AuditCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    /** @param args {@code audit --store DIR [--all]} ({@code args[0]} is the word {@code audit}) */
    public static int run(String[] args) {
        return KeytrailCli.execute(args, System.out, System.err);
    }

    @Override
    public Integer call() {
        if (store == null) {
            throw new MissingParameterException(spec.commandLine(), spec.findOption("--store"),
                    "Missing required option: '--store=DIR'");
        }
        PrintStream stdout = io.out();
        PrintStream stderr = io.err();
        PrintStream systemOut = System.out;
        try {
            CliContext.check(store, true);
            System.setOut(stderr);
            try (ConfigurableApplicationContext context = CliContext.start(store, "audit", stderr)) {
                stderr.println("audit: re-verifying every decision …");
                return audit(context, new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)));
            }
        } catch (CliContext.UnusableStore e) {
            stderr.println("audit: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RuntimeException | JsonProcessingException e) {
            stderr.println("audit: the engine failed (store " + store.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return KeytrailCli.ENGINE_FAILED;
        } finally {
            System.setOut(systemOut);
        }
    }

    private int audit(ConfigurableApplicationContext context, PrintWriter out) throws JsonProcessingException {
        ObjectMapper mapper = context.getBean(ObjectMapper.class);
        DecisionReverifier.Report report = context.getBean(DecisionReverifier.class).reverifyAll();
        for (DecisionReverifier.Finding f : report.findings()) {
            if (all || f.verdict() == DecisionReverifier.Verdict.DIFFERS) {
                out.println(mapper.writeValueAsString(mapper.valueToTree(f)));
            }
        }
        ObjectNode summary = mapper.createObjectNode();
        summary.putObject("summary").put("decisions", report.decisions()).put("confirmed", report.confirmed())
                .put("differs", report.differs()).put("unverifiable", report.unverifiable());
        out.println(mapper.writeValueAsString(summary));
        out.flush();
        return report.differs() == 0 ? KeytrailCli.OK : KeytrailCli.AUDIT_DIFFERS;
    }
}
