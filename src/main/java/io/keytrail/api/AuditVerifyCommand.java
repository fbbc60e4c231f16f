package io.keytrail.api;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.DecisionReverifier.Verdict;
import io.keytrail.audit.StoreVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit verify [--store DIR] [--json] [--all]}: streams the store in global order and re-verifies
 * every decision in bounded memory ({@link StoreVerifier}); one line per finding as it is made, a summary
 * line last, progress and rate on standard error at most once a second.
 */
@Command(name = "verify", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar audit verify [--store DIR] [--json] [--all]",
        description = {"Re-verifies every decision in a store with today's code, streaming the store: one line per "
                + "decision that differs or cannot be verified (every decision with --all), then a summary.",
                "See README.md, section \"Auditing a store\"."},
        footerHeading = "%n", footer = {"Exit status: 0 every decision confirmed or unverifiable; 1 the engine "
                + "failed; 2 a usage error, or a store that cannot be used; 3 a decision differs."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:KEYTRAIL_DATA_DIR:-data}",
            description = "the store (default: $KEYTRAIL_DATA_DIR, else ./data)")
    Path store;

    @Option(names = "--json", description = "JSON lines instead of text")
    boolean json;

    @Option(names = "--all", description = "print every decision, not only those that differ or are unverifiable")
    boolean all;

    private final KeytrailCli.Io io;

    AuditVerifyCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        return verify("audit verify", store, json, all);
    }

    int verify(String name, Path dir, boolean asJson, boolean every) {
        return CliContext.onStore(name, dir, io, (context, out) -> {
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            PrintStream err = io.err();
            err.println(name + ": re-verifying every decision, in global order …");
            ProgressMeter meter = new ProgressMeter(name, err, System::nanoTime);
            // CPU time of this thread (the pass and, H2 being embedded, the queries): a rate that a busy,
            // shared machine does not distort the way wall-clock time does.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            StoreVerifier.Summary summary = context.getBean(StoreVerifier.class).verify(f -> {
                if (every || f.verdict() != Verdict.CONFIRMED) {
                    out.println(asJson ? FindingLines.json(mapper, f).toString() : FindingLines.text(f));
                }
            }, meter::at);
            double seconds = meter.done(summary.events(), summary.decisions());
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            out.println(asJson ? mapper.writeValueAsString(summaryJson(mapper, summary, seconds, cpuSeconds))
                    : FindingLines.text(summary, seconds));
            out.flush();
            return summary.clean() ? KeytrailCli.OK : KeytrailCli.AUDIT_DIFFERS;
        });
    }

    static ObjectNode summaryJson(ObjectMapper mapper, StoreVerifier.Summary s, double seconds, double cpuSeconds) {
        ObjectNode out = mapper.createObjectNode();
        out.putObject("summary").put("events", s.events()).put("decisions", s.decisions())
                .put("confirmed", s.confirmed()).put("differs", s.differs()).put("unverifiable", s.unverifiable())
                .put("seconds", Math.round(seconds * 1000) / 1000.0)
                .put("events_per_second", ProgressMeter.rate(s.events(), seconds))
                .put("decisions_per_second", ProgressMeter.rate(s.decisions(), seconds))
                .put("cpu_seconds", Math.round(cpuSeconds * 1000) / 1000.0)
                .put("decisions_per_cpu_second", ProgressMeter.rate(s.decisions(), cpuSeconds))
                .put("aggregates_refolded", s.reloads());
        return out;
    }
}
