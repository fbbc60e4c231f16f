package io.keytrail.api;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.audit.SessionForgetter;
import io.keytrail.errors.RefusalException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keytrail.jar forget --store DIR (--session ROOM SESSION_ID | --room ROOM) [--reason TEXT]}:
 * crypto-shreds one session or every session of a room (ADR 0012). One JSON line per session on
 * standard output, then a summary; progress on standard error. The sealing keys come from the same
 * settings as the service's (environment), see README "Keys at rest".
 */
@Command(name = "forget", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar forget --store DIR (--session ROOM SESSION_ID | --room ROOM) "
                + "[--reason TEXT]",
        description = {"Forgets a session or every session of a room for good: destroys its key material "
                + "(its messages can never be decrypted again, it is left out of exports, copies of it are refused) "
                + "and records who and why; its trail stays readable.", "See README.md, section \"Keys at rest\"."},
        footerHeading = "%n", footer = {"Exit status: 0 done (forgetting twice is done too); 1 the engine failed; "
                + "2 a usage error, no such session or room, or a store that cannot be used."})
public final class ForgetCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "the store: a directory written by replay --store, or the service's data directory")
    Path store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--session", arity = "2", paramLabel = "ROOM SESSION_ID",
                description = "forget this session (room id, then session id)")
        List<String> session;

        @Option(names = "--room", paramLabel = "ROOM", description = "forget every session of this room")
        String room;
    }

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (recorded in the trail; no secrets)")
    String reason = "";

    private final KeytrailCli.Io io;

    ForgetCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        PrintStream stdout = io.out();
        PrintStream stderr = io.err();
        PrintStream systemOut = System.out;
        String roomId = target.session != null ? target.session.get(0) : target.room;
        String sessionId = target.session != null ? target.session.get(1) : null;
        try {
            CliContext.check(store, true);
            System.setOut(stderr);
            try (ConfigurableApplicationContext context = CliContext.start(store, "forget", stderr)) {
                ObjectMapper mapper = context.getBean(ObjectMapper.class);
                SessionForgetter.Result result = context.getBean(SessionForgetter.class).forget(roomId, sessionId,
                        "cli: " + System.getProperty("user.name", "unknown"), reason);
                for (SessionForgetter.Forgot f : result.sessions()) {
                    stdout.println(mapper.createObjectNode().put("room_id", f.roomId()).put("session_id", f.sessionId())
                            .put("forgotten", f.forgotten()).put("data_keys_destroyed", f.dataKeysDestroyed())
                            .put("legacy_sealed", f.legacySealed()));
                }
                stdout.println(mapper.createObjectNode().set("summary", mapper.createObjectNode()
                        .put("forgotten", result.forgotten()).put("already_forgotten", result.alreadyForgotten())
                        .put("legacy_sealed", result.legacySealed())));
                stdout.flush();
                stderr.println("forget: " + result.forgotten() + " sessions forgotten, " + result.alreadyForgotten()
                        + " were already" + (result.legacySealed() > 0 ? "; " + result.legacySealed() + " were sealed in "
                        + "the older v1 form: retire the old sealing key after audit rotate-key to finish shredding them"
                        : ""));
                return KeytrailCli.OK;
            }
        } catch (CliContext.UnusableStore e) {
            stderr.println("forget: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RefusalException e) {
            stderr.println("forget: " + e.code() + ": " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RuntimeException e) {
            stderr.println("forget: the engine failed (store " + store.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return KeytrailCli.ENGINE_FAILED;
        } finally {
            System.setOut(systemOut);
        }
    }
}
