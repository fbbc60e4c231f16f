package io.keytrail.api;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.DecisionReverifier;

/**
 * {@code java -jar keytrail.jar audit --store DIR [--all]}: re-verifies every decision in a store and
 * prints one JSON line per decision that no longer follows (every decision with {@code --all}), then a
 * summary line. Exit 0 when every decision is confirmed or unverifiable, 3 when one differs.
 */
public final class AuditCommand {
    private AuditCommand() {
    }

    public static int run(String[] args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        Path store = null;
        boolean all = false;
        for (int i = 1; i < args.length; i++) {
            if ("--store".equals(args[i]) && i + 1 < args.length) {
                store = Path.of(args[++i]);
            } else if ("--all".equals(args[i])) {
                all = true;
            } else {
                stderr.println("audit: unexpected argument " + args[i]);
                store = null;
                break;
            }
        }
        if (store == null || !Files.isDirectory(store)) {
            stderr.println("usage: java -jar keytrail.jar audit --store DIR [--all]   (DIR: a replay --store or data dir)");
            return 2;
        }
        System.setOut(stderr);
        try (ConfigurableApplicationContext context = CliContext.start(store);
             PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8))) {
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
            return report.differs() == 0 ? 0 : 3;
        } catch (Exception e) {
            stderr.println("audit: " + e);
            return 1;
        } finally {
            System.setOut(stdout);
        }
    }
}
