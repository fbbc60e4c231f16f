package io.keytrail.api;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;


import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.audit.ReadModelRebuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keytrail.jar rebuild [--store DIR]}: empties the read models of a store and replays
 * every event into them (ADR 0013). Progress on standard error, one JSON summary line on standard output.
 * The store must not be in use (the file lock says so); a running service rebuilds through
 * {@code POST /api/v1/admin/rebuild} instead. Exit 0 rebuilt, 1 the engine failed, 2 a usage error or a
 * store that cannot be used.
 */
@Command(name = "rebuild", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar rebuild [--store DIR]",
        description = {"Rebuilds the read models (sessions, devices, identities) of a store from its events: "
                + "progress on standard error, a JSON summary line on standard output.",
                "A running service rebuilds with POST /api/v1/admin/rebuild (admin token) instead.",
                "See README.md, section \"Audit trail\"."},
        footerHeading = "%n", footer = {"Exit status: 0 rebuilt; 1 the engine failed; 2 a usage error, or a store "
                + "that cannot be used (missing, or in use by a running service)."})
public final class RebuildCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "DIR", description = "the store: a directory written by replay --store, "
            + "or the service's data directory (default: $KEYTRAIL_DATA_DIR, else ./data)")
    Path store;

    private final KeytrailCli.Io io;

    RebuildCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        PrintStream stderr = io.err();
        Path dir = store != null ? store : Path.of(System.getenv().getOrDefault("KEYTRAIL_DATA_DIR", "./data"));
        return CliContext.onStore("rebuild", dir, io, (context, out) -> {
            stderr.println("rebuild: replaying every event into empty read models …");
            ReadModelRebuild.Result result = context.getBean(ReadModelRebuild.class).rebuild(p -> {
                stderr.println("rebuild: " + p.events() + " / " + p.total() + " events");
                stderr.flush();
            });
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            out.println(mapper.writeValueAsString(ReadModelRebuild.summary(mapper, result)));
            return KeytrailCli.OK;
        });
    }
}
