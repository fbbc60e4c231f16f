package io.keytrail.api;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The command line, one picocli parser for every command: {@code serve} (the HTTP service, also what
 * runs without arguments or with only Spring settings such as {@code --server.port=8081}),
 * {@code replay}, {@code audit} (verify, trail, rotate-key), {@code events}, {@code export}, {@code forget},
 * {@code rebuild} and {@code help}. Parsing happens before anything
 * starts: help, a typo or a bad option never boots Spring.
 *
 * <p>Standard output belongs to each command's result (replay lines, audit lines, the export file);
 * help, usage errors and progress go to standard error.
 */
@Command(name = "keytrail", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, usageHelpWidth = 100,
        versionProvider = KeytrailCli.Version.class,
        synopsisHeading = "usage: ", customSynopsis = "java -jar keytrail.jar [COMMAND] [OPTIONS]",
        description = {"Decides, stores and explains the sender data of Matrix Megolm sessions.",
                "Without a command (or with only Spring settings such as --server.port=8081) it runs serve.",
                "See README.md, section \"Command line\"."},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n", footer = KeytrailCli.EXIT_STATUS)
public final class KeytrailCli implements Callable<Integer> {
    /** Done. */
    public static final int OK = 0;
    /** The engine itself failed (a bug or an environment problem; the message says which). */
    public static final int ENGINE_FAILED = 1;
    /** A usage error, or a file or store that cannot be used. */
    public static final int USAGE = 2;
    /** {@code audit}: at least one decision no longer follows from its evidence. */
    public static final int AUDIT_DIFFERS = 3;
    /** {@code serve} started the service: the JVM keeps running, the caller must not exit. */
    public static final int SERVING = Integer.MIN_VALUE;

    static final String EXIT_STATUS = "Exit status: 0 done; 1 the engine failed; 2 a usage error, or a file or store "
            + "that cannot be used (or, audit trail, an unknown session); 3 (audit verify) a decision differs.";

    @Spec
    CommandSpec spec;

    private KeytrailCli() {
    }

    /**
     * Where a command writes: its result on {@code out}, messages on {@code err}; {@code tempParent} holds
     * replay's throwaway store ({@code null}: the system's temp directory).
     */
    record Io(PrintStream out, PrintStream err, Path tempParent, Consumer<String[]> serve) {
        Io(PrintStream out, PrintStream err, Path tempParent) {
            this(out, err, tempParent, settings -> SpringApplication.run(KeytrailApplication.class, settings));
        }
    }

    /**
     * A command contributed by a room above {@code api} (the {@code bench} room): listed in
     * {@code META-INF/services/io.keytrail.api.KeytrailCli$Extension} and found with {@link ServiceLoader},
     * so that {@code api} never depends on a room above it (ArchitectureTest).
     */
    public interface Extension {
        /** The picocli command object; it writes its result on {@code out}, messages on {@code err}. */
        Object command(PrintStream out, PrintStream err, Path tempParent);
    }

    /** Parses {@code args} and runs the command; returns its exit status, or {@link #SERVING}. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, new Io(out, err, null));
    }

    static int execute(String[] args, Io io) {
        return commandLine(io).execute(withDefaultCommand(args));
    }

    /** The parser with every command; exposed for tests (help texts) and for {@link #execute}. */
    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new KeytrailCli())
                .addSubcommand(new ServeCommand(io))
                .addSubcommand(new ReplayCommand(io))
                .addSubcommand(new CommandLine(new AuditCommand(io))
                        .addSubcommand(new AuditVerifyCommand(io))
                        .addSubcommand(new AuditTrailCommand(io))
                        .addSubcommand(new RotateKeyCommand(io)))
                .addSubcommand(new EventsCommand(io))
                .addSubcommand(new ExportCommand(io))
                .addSubcommand(new ForgetCommand(io))
                .addSubcommand(new RebuildCommand(io));
        for (Extension extension : ServiceLoader.load(Extension.class, KeytrailCli.class.getClassLoader())) {
            cli.addSubcommand(extension.command(io.out(), io.err(), io.tempParent()));
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        PrintWriter messages = new PrintWriter(io.err(), true, StandardCharsets.UTF_8);
        // Help goes where the messages go: standard output carries only results.
        cli.setOut(messages);
        cli.setErr(messages);
        cli.setParameterExceptionHandler(KeytrailCli::usageError);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(name(cmd) + ": the engine failed: " + e);
            e.printStackTrace(cmd.getErr());
            return ENGINE_FAILED;
        });
        return cli;
    }

    /**
     * No argument, or only Spring settings ({@code --name=value}), means {@code serve}: that is how the
     * service has always been started ({@code java -jar keytrail.jar --server.port=8081}).
     */
    static String[] withDefaultCommand(String[] args) {
        if (!Arrays.stream(args).allMatch(arg -> arg.startsWith("--") && arg.indexOf('=') > 2)) {
            return args;
        }
        return Stream.concat(Stream.of("serve"), Arrays.stream(args)).toArray(String[]::new);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    /** One line naming the problem, one line saying how to do it right; exit status 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        boolean top = cmd.getParent() == null;
        err.println(name(cmd) + ": " + problem(e, top));
        if (top) {
            err.println("commands: " + String.join(", ", cmd.getSubcommands().keySet())
                    + "; java -jar keytrail.jar --help for more");
        } else {
            String[] synopsis = cmd.getCommandSpec().usageMessage().customSynopsis();
            err.println("usage: " + (synopsis.length > 0 ? synopsis[0] : name(cmd))
                    + "   (java -jar keytrail.jar " + name(cmd) + " --help for more)");
        }
        return USAGE;
    }

    /** A command's name as typed after {@code keytrail.jar}: {@code audit verify}, {@code replay}. */
    private static String name(CommandLine cmd) {
        return cmd.getParent() == null || cmd.getParent().getParent() == null ? cmd.getCommandName()
                : name(cmd.getParent()) + " " + cmd.getCommandName();
    }

    private static String problem(ParameterException e, boolean top) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            List<String> suggestions = closest(first, unmatched.getSuggestions());
            String hint = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
            if (top && !first.startsWith("-")) {
                return "unknown command " + first + hint;
            }
            return "unexpected argument " + first + hint;
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            return missing.getMissing().stream().map(KeytrailCli::missing).collect(Collectors.joining("; "));
        }
        return e.getMessage();
    }

    /**
     * Of picocli's suggestions, those nearest to what was typed (edit distance): {@code replai} suggests
     * {@code replay}, not also {@code rebuild}, which merely shares letters.
     */
    static List<String> closest(String typed, List<String> suggestions) {
        int best = suggestions.stream().mapToInt(s -> distance(typed, s)).min().orElse(0);
        return suggestions.stream().filter(s -> distance(typed, s) == best).toList();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static final Map<String, String> WHAT = Map.of("DIR", "a directory", "FILE", "a file", "N", "a number",
            "ROOM", "a room id", "SESSION_ID", "a session id", "AGGREGATE", "an aggregate id",
            "TYPE", "an event type", "ISO-TIME", "an ISO-8601 instant (2026-11-30T17:00:00Z)");

    private static String missing(ArgSpec arg) {
        String label = arg.paramLabel();
        if (arg instanceof OptionSpec option) {
            return option.longestName() + " needs " + WHAT.getOrDefault(label, "a value (" + label + ")");
        }
        return "no " + (label.endsWith(".jsonl") ? "recording" : label) + " given";
    }

    /** {@code java -jar keytrail.jar serve [--spring.setting=value]...}: the HTTP service. */
    @Command(name = "serve", synopsisHeading = "usage: ",
            customSynopsis = "java -jar keytrail.jar [serve] [--name=value]...",
            description = {"Runs the HTTP service (the default command). Spring settings go as --name=value, "
                    + "for example --server.port=8081 or --spring.profiles.active=postgres.",
                    "See README.md, sections \"Run\" and \"Configuration\"."})
    static final class ServeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> springSettings = new ArrayList<>();

        private final Io io;

        ServeCommand(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            for (String setting : springSettings) {
                if (!setting.startsWith("--")) {
                    throw new ParameterException(spec.commandLine(), "unexpected argument " + setting
                            + " (Spring settings go as --name=value)");
                }
            }
            try {
                io.serve().accept(springSettings.toArray(String[]::new));
                return SERVING;
            } catch (RuntimeException e) {
                String keys = SealingKeyFailureAnalyzer.problem(e);
                if (keys != null) {
                    // A configuration to fix, not a bug: Spring has printed the same paragraph, no stack trace.
                    io.err().println("serve: cannot start: " + keys);
                    return USAGE;
                }
                // Spring has logged the details already.
                String problem = CliContext.databaseProblem(e);
                io.err().println("serve: " + (problem != null ? "cannot open the store: " + problem
                        : "the service failed to start: " + e));
                return problem != null ? USAGE : ENGINE_FAILED;
            }
        }
    }

    /** The version from the jar's manifest (Maven's project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KeytrailCli.class.getPackage().getImplementationVersion();
            return new String[] {"keytrail " + (version == null ? "(development build)" : version)};
        }
    }
}
