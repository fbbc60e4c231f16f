package io.keytrail.api;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.KeyRotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keytrail.jar audit rotate-key --store DIR}: moves everything the store seals onto the
 * current sealing key (ADR 0012), with progress on standard error and the report as one JSON line on
 * standard output. Restartable: it only does what is still under an older key.
 */
@Command(name = "rotate-key", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar audit rotate-key --store DIR",
        description = {"Re-wraps every data key, and re-seals every session still in the older v1 form (as new "
                + "events), under the current sealing key; afterwards the older keys can be removed from the "
                + "configuration. Configure the new key as the current one and keep the old one as an old key "
                + "first.", "See README.md, section \"Keys at rest\"."},
        footerHeading = "%n", footer = {"Exit status: 0 done, no older key is needed any more; 1 the engine failed; "
                + "2 a usage error, a store that cannot be used, or values whose key is not configured were left."})
public final class RotateKeyCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "the store: a directory written by replay --store, or the service's data directory")
    Path store;

    private final KeytrailCli.Io io;

    RotateKeyCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        PrintStream stderr = io.err();
        return CliContext.onStore("rotate-key", store, io, (context, out) -> {
            long started = System.nanoTime();
            KeyRotation.Report report = context.getBean(KeyRotation.class).rotate(p -> {
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                stderr.printf("rotate-key: %s %d/%d (%.0f/s)%n", p.step(), p.done(), p.total(), p.done() / seconds);
            });
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            ObjectNode summary = mapper.createObjectNode().put("sealing_key_id", report.sealingKeyId())
                    .put("sessions_resealed", report.sessionsResealed())
                    .put("data_keys_rewrapped", report.dataKeysRewrapped()).put("failed", report.failed());
            report.stillNeeded().forEach(summary.putArray("still_needed_key_ids")::add);
            out.println(mapper.writeValueAsString(summary));
            out.flush();
            if (report.failed() > 0 || !report.stillNeeded().isEmpty()) {
                stderr.println("rotate-key: the store still needs sealing key id " + report.stillNeeded()
                        + ": keep it configured (see the log for the values left)");
                return KeytrailCli.USAGE;
            }
            stderr.println("rotate-key: everything is under sealing key " + report.sealingKeyId()
                    + "; older keys can now be removed from the configuration");
            return KeytrailCli.OK;
        });
    }
}
