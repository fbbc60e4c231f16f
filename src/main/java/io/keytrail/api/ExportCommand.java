package io.keytrail.api;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keytrail.jar export --store DIR --passphrase-file FILE [--room ROOM]... [--session ID]...
 * [--rounds N] > keys.txt}: writes a key export file of the store's sessions (all that are not
 * discarded, or the chosen rooms/sessions) to standard output; everything else goes to standard error.
 * The passphrase comes from a file so that it never shows in the process list or the shell history.
 * The rounds are held between the floor and the ceiling of every interface ({@link ExportRequest#checkRounds}).
 */
@Command(name = "export", synopsisHeading = "usage: ",
        customSynopsis = "java -jar keytrail.jar export --store DIR --passphrase-file FILE [--room ROOM]..."
                + " [--session SESSION_ID]... [--rounds N] > keys.txt",
        description = {"Writes the store's sessions (all that are not discarded, or the chosen rooms and sessions) "
                + "as a key export file that other Matrix clients import, on standard output.",
                "See README.md, section \"Importing and exporting room keys\"."},
        footerHeading = "%n", footer = {"Exit status: 0 the file was written; 1 the engine failed or refused; "
                + "2 a usage error (a refused --rounds included), or a file or store that cannot be used."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "the store: a directory written by replay --store, or the service's data directory")
    Path store;

    @Option(names = "--passphrase-file", required = true, paramLabel = "FILE",
            description = "a file holding the passphrase (one final newline is not part of it)")
    Path passphraseFile;

    @Option(names = "--room", paramLabel = "ROOM", description = "export only this room's sessions (repeatable)")
    Set<String> rooms = new LinkedHashSet<>();

    @Option(names = "--session", paramLabel = "SESSION_ID", description = "export only this session (repeatable)")
    Set<String> sessions = new LinkedHashSet<>();

    @Option(names = "--rounds", paramLabel = "N", description = "PBKDF2 rounds (default ${DEFAULT-VALUE}, as Element)")
    int rounds = KeyExportFile.DEFAULT_ROUNDS;

    private final KeytrailCli.Io io;

    ExportCommand(KeytrailCli.Io io) {
        this.io = io;
    }

    /**
     * @param args {@code export --store DIR --passphrase-file FILE ...} ({@code args[0]} is the word {@code export})
     * @return 0 when the file was written, 1 when the engine failed or refused, 2 for a usage or file error
     */
    public static int run(String[] args) {
        return KeytrailCli.execute(args, System.out, System.err);
    }

    @Override
    public Integer call() {
        PrintStream stdout = io.out();
        PrintStream stderr = io.err();
        if (rounds < ExportRequest.MIN_ROUNDS || rounds > ExportRequest.MAX_ROUNDS) {
            stderr.println("export: --rounds must be between " + ExportRequest.MIN_ROUNDS + " and "
                    + ExportRequest.MAX_ROUNDS + " (default " + KeyExportFile.DEFAULT_ROUNDS + ")");
            return KeytrailCli.USAGE;
        }
        String passphrase;
        try {
            CliContext.check(store, true);
            passphrase = stripLineEnd(Files.readString(passphraseFile, StandardCharsets.UTF_8));
        } catch (CliContext.UnusableStore e) {
            stderr.println("export: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (IOException e) {
            stderr.println("export: cannot read the passphrase file " + passphraseFile);
            return KeytrailCli.USAGE;
        }
        PrintStream systemOut = System.out;
        System.setOut(stderr);
        try (ConfigurableApplicationContext context = CliContext.start(store, "export", stderr)) {
            stderr.println("export: encrypting with " + rounds + " PBKDF2 rounds …");
            // Streamed: the file goes out as the sessions are read, page by page (never all in memory).
            KeyExportService.Written written = context.getBean(KeyExportService.class)
                    .export(passphrase, new KeyExportService.Selection(rooms, sessions), rounds, stdout);
            stdout.flush();
            stderr.println("export: wrote " + written.sessions() + " sessions"
                    + (written.forgottenSkipped() > 0 ? "; skipped " + written.forgottenSkipped()
                    + " forgotten sessions (their keys were destroyed)" : ""));
            return KeytrailCli.OK;
        } catch (CliContext.UnusableStore e) {
            stderr.println("export: " + e.getMessage());
            return KeytrailCli.USAGE;
        } catch (RefusalException e) {
            stderr.println("export: " + e.code() + ": " + e.getMessage());
            return e.code() == RefusalCode.INVALID_INPUT ? KeytrailCli.USAGE : KeytrailCli.ENGINE_FAILED;
        } catch (IOException e) {
            stderr.println("export: cannot write the file: " + e.getMessage());
            return KeytrailCli.ENGINE_FAILED;
        } catch (RuntimeException e) {
            stderr.println("export: the engine failed (store " + store.toAbsolutePath() + "): " + e);
            e.printStackTrace(stderr);
            return KeytrailCli.ENGINE_FAILED;
        } finally {
            System.setOut(systemOut);
        }
    }

    /** A passphrase file usually ends with a newline that is not part of the passphrase. */
    static String stripLineEnd(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
