package io.keytrail.api;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.context.ConfigurableApplicationContext;

import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;

/**
 * {@code java -jar keytrail.jar export --store DIR --passphrase-file FILE [--room ROOM]... [--session ID]...
 * [--rounds N] > keys.txt}: writes a key export file of the store's sessions (all that are not
 * discarded, or the chosen rooms/sessions) to standard output; everything else goes to standard error.
 * The passphrase comes from a file so that it never shows in the process list or the shell history.
 */
public final class ExportCommand {
    private ExportCommand() {
    }

    /** @return 0 when the file was written, 1 when the engine refused, 2 for a usage or file error */
    public static int run(String[] args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        Path store = null;
        Path passphraseFile = null;
        int rounds = KeyExportFile.DEFAULT_ROUNDS;
        Set<String> rooms = new LinkedHashSet<>();
        Set<String> sessions = new LinkedHashSet<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    stderr.println("export: " + arg + " needs a value");
                    return usage(stderr);
                }
                switch (arg) {
                    case "--store" -> store = Path.of(args[++i]);
                    case "--passphrase-file" -> passphraseFile = Path.of(args[++i]);
                    case "--room" -> rooms.add(args[++i]);
                    case "--session" -> sessions.add(args[++i]);
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    default -> {
                        stderr.println("export: unexpected argument " + arg);
                        return usage(stderr);
                    }
                }
            }
        } catch (NumberFormatException e) {
            stderr.println("export: --rounds needs a whole number");
            return usage(stderr);
        }
        if (store == null || passphraseFile == null) {
            return usage(stderr);
        }
        if (!Files.isRegularFile(store.resolve("keytrail.mv.db"))) {
            stderr.println("export: " + store + " is not a Keytrail store (no keytrail.mv.db); create one with"
                    + " replay --store");
            return 2;
        }
        String passphrase;
        try {
            passphrase = stripLineEnd(Files.readString(passphraseFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            stderr.println("export: cannot read the passphrase file " + passphraseFile);
            return 2;
        }
        System.setOut(stderr);
        try (ConfigurableApplicationContext context = CliContext.start(store)) {
            KeyExportService.ExportedFile file = context.getBean(KeyExportService.class)
                    .export(passphrase, new KeyExportService.Selection(rooms, sessions), rounds);
            stdout.print(file.text());
            stdout.flush();
            stderr.println("export: wrote " + file.sessionCount() + " sessions");
            return 0;
        } catch (RefusalException e) {
            stderr.println("export: " + e.code() + ": " + e.getMessage());
            return 1;
        } finally {
            System.setOut(stdout);
        }
    }

    /** A passphrase file usually ends with a newline that is not part of the passphrase. */
    static String stripLineEnd(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar keytrail.jar export --store DIR --passphrase-file FILE [--room ROOM]..."
                + " [--session SESSION_ID]... [--rounds N] > keys.txt");
        return 2;
    }
}
