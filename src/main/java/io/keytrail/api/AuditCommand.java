package io.keytrail.api;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar keytrail.jar audit verify|trail …}: the auditor's commands on a store. The older form
 * {@code audit --store DIR [--all]} stays as an alias of {@code audit verify --store DIR --json [--all]}.
 */
@Command(name = "audit", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar audit (verify [--store DIR] [--json] [--all] | "
                + "trail ROOM SESSION_ID [--store DIR] [--json] | rotate-key --store DIR)",
        description = {"Audits a store: verify re-checks every decision with today's code; trail tells one "
                + "session's story; rotate-key re-wraps stored keys under a new sealing key. "
                + "audit --store DIR [--all] is the older form of audit verify --json.",
                "See README.md, section \"Auditing a store\"."},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n", footer = {"Exit status: 0 done (verify: every decision confirmed or unverifiable); "
                + "1 the engine failed; 2 a usage error, a store that cannot be used, or (trail) an unknown "
                + "session; 3 (verify) a decision differs."})
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR",
            description = "the store: a directory written by replay --store, or the service's data directory")
    Path store;

    @Option(names = "--all", description = "print every decision, not only those that differ or are unverifiable")
    boolean all;

    private final KeytrailCli.Io io;

    AuditCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    /** @param args {@code audit …} ({@code args[0]} is the word {@code audit}) */
    public static int run(String[] args) {
        return KeytrailCli.execute(args, System.out, System.err);
    }

    @Override
    public Integer call() {
        if (store == null) {
            throw new ParameterException(spec.commandLine(), "--store needs a directory (or use audit verify)");
        }
        return new AuditVerifyCommand(io).verify("audit", store, true, all);
    }
}
