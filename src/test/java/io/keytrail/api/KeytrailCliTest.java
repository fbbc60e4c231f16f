package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command-line parser on its own: help everywhere, usage errors with exit status 2 and a one-line
 * hint, unusable stores refused with a message (no stack trace) before the engine starts. {@code serve}
 * is replaced by a recorder, so a test can tell whether the service would have started.
 */
class KeytrailCliTest {
    private static final String STARTING = "starting the engine";

    @TempDir
    Path dir;

    private final List<List<String>> served = new ArrayList<>();

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KeytrailCli.Io io = new KeytrailCli.Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, settings -> served.add(List.of(settings)));
        int exit = KeytrailCli.execute(args, io);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void topLevelHelp_listsEveryCommand_andSucceeds(String help) {
        Run run = run(help);
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("usage: java -jar keytrail.jar [COMMAND]", "Commands:", "Exit status:");
        for (String command : List.of("serve", "replay", "audit", "events", "export", "forget", "rebuild", "bench", "help")) {
            assertThat(run.err()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
        assertThat(run.out()).as("standard output belongs to results").isEmpty();
        assertThat(served).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "replay", "audit", "export", "forget", "rebuild"})
    void eachCommandsHelp_printsItsUsage_andSucceeds(String command) {
        for (List<String> args : List.of(List.of(command, "--help"), List.of(command, "-h"), List.of("help", command))) {
            Run run = run(args.toArray(String[]::new));
            assertThat(run.exit()).as(args.toString()).isZero();
            assertThat(run.err()).as(args.toString()).contains("usage: java -jar keytrail.jar ")
                    .contains(command.equals("serve") ? "[serve]" : command).contains("README.md");
            assertThat(run.err()).doesNotContain(STARTING);
        }
        assertThat(served).isEmpty();
    }

    @Test
    void replayHelp_citesReadmeSections_notAMissingDocument() {
        Run run = run("replay", "--help");
        assertThat(run.err().replaceAll("\\s+", " ")).contains("README.md, sections \"Quick start\" and \"Recording format\"")
                .doesNotContain("design section").doesNotContain("design.md");
    }

    @Test
    void version_printsTheVersion_andSucceeds() {
        Run run = run("--version");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).startsWith("keytrail ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replai", "serv", "start"})
    void unknownCommand_exitsTwo_withAOneLineHint_withoutStartingAnything(String typo) {
        Run run = run(typo, "examples/quickstart.jsonl");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(2);
        assertThat(run.err()).startsWith("keytrail: unknown command " + typo)
                .contains("commands: serve, replay, audit, events, export, forget, rebuild, bench, help").doesNotContain(STARTING);
        assertThat(served).isEmpty();
    }

    @Test
    void unknownCommand_suggestsTheClosestOne() {
        assertThat(run("replai").err()).contains("did you mean replay?");
    }

    @Test
    void unknownTopLevelOption_exitsTwo_withoutStartingTheService() {
        Run run = run("--hepl");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unexpected argument --hepl");
        assertThat(served).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay examples/quickstart.jsonl --verbose", "audit --store . --everything",
            "export --store . --passphrase-file p --rounds many", "audit --all", "export --store .", "replay a b",
            "audit --store", "serve now"})
    void badOptionsOfACommand_exitTwo_withItsUsageLine_beforeTheEngineStarts(String line) {
        Run run = run(line.split(" "));
        String command = line.split(" ")[0];
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).as(run.err()).hasSize(2);
        assertThat(run.err()).startsWith(command + ": ")
                .contains("usage: java -jar keytrail.jar ", command + " --help for more").doesNotContain(STARTING);
        assertThat(run.out()).isEmpty();
        assertThat(served).isEmpty();
    }

    @Test
    void missingOptionValues_sayWhatIsNeeded() {
        assertThat(run("audit", "--store").err()).startsWith("audit: --store needs a directory");
        assertThat(run("export", "--store", ".", "--passphrase-file").err())
                .startsWith("export: --passphrase-file needs a file");
        assertThat(run("audit").err()).startsWith("audit: --store needs a directory");
    }

    @Test
    void noArguments_orOnlySpringSettings_serve() {
        assertThat(run().exit()).isEqualTo(KeytrailCli.SERVING);
        assertThat(run("--server.port=8081", "--spring.profiles.active=postgres").exit()).isEqualTo(KeytrailCli.SERVING);
        assertThat(run("serve", "--server.port=0", "--debug").exit()).isEqualTo(KeytrailCli.SERVING);
        assertThat(served).containsExactly(List.of(), List.of("--server.port=8081", "--spring.profiles.active=postgres"),
                List.of("--server.port=0", "--debug"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "audit", "export"})
    void storeThatIsARegularFile_exitsTwo_withAMessage_andNoStackTrace(String command) throws IOException {
        Path file = Files.writeString(dir.resolve("store"), "x");
        Path passphrase = Files.writeString(dir.resolve("pass"), "p\n");
        List<String> args = new ArrayList<>(List.of(command, "--store", file.toString()));
        if (command.equals("replay")) {
            args.add("examples/quickstart.jsonl");
        }
        if (command.equals("export")) {
            args.addAll(List.of("--passphrase-file", passphrase.toString()));
        }
        Run run = run(args.toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith(command + ": ").contains(file.toString(), "not a directory")
                .doesNotContain("Exception", "\tat ", STARTING);
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "audit", "export"})
    void storeInUseByAnotherProcess_exitsTwo_withAMessage_andLeavesNoTraceFile(String command)
            throws IOException, SQLException {
        Path store = Files.createDirectory(dir.resolve("busy"));
        Path passphrase = Files.writeString(dir.resolve("pass"), "p\n");
        List<String> args = new ArrayList<>(List.of(command, "--store", store.toString()));
        if (command.equals("replay")) {
            args.add("examples/quickstart.jsonl");
        }
        if (command.equals("export")) {
            args.addAll(List.of("--passphrase-file", passphrase.toString()));
        }
        // An open database holds the store's file lock, as a running service does.
        try (Connection open = DriverManager.getConnection("jdbc:h2:file:" + store.toAbsolutePath().resolve("keytrail"),
                "sa", "")) {
            Run run = run(args.toArray(String[]::new));
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err().lines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith(command + ": the store " + store + " is in use by another process")
                    .doesNotContain("Exception", "\tat ", STARTING);
            assertThat(run.out()).isEmpty();
        }
        assertThat(store.resolve("keytrail.trace.db")).doesNotExist();
    }

    @Test
    void aStoreWhoseDatabaseFileIsCorrupt_exitsTwo_withOneLine_andLeavesNoTraceFile() throws IOException {
        Path store = Files.createDirectory(dir.resolve("corrupt"));
        byte[] garbage = new byte[5000];
        new java.util.Random(11).nextBytes(garbage);
        Files.write(store.resolve(CliContext.DATABASE_FILE), garbage);
        // As in a tool's own JVM: Logback keeps the first configuration while any Spring context of this test
        // JVM is open (the shared engine), and would ignore the tool's logging.config.
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader()).cleanUp();

        Run run = run("audit", "--store", store.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).as(run.err()).hasSize(2);
        assertThat(run.err().lines().toList().get(1)).startsWith("audit: cannot open the store " + store + ": ")
                .doesNotContain("org.h2", "Caused by", "\tat ");
        assertThat(run.out()).isEmpty();
        assertThat(store.resolve("keytrail.trace.db")).doesNotExist();
    }

    @Test
    void auditOrExportOfADirectoryThatHoldsNoStore_exitsTwo_withoutCreatingOne() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Run audit = run("audit", "--store", empty.toString());
        assertThat(audit.exit()).isEqualTo(2);
        assertThat(audit.err()).contains("is not a Keytrail store").doesNotContain(STARTING);
        try (var files = Files.list(empty)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void withDefaultCommand_prefixesServe_onlyForNoArgumentsOrSpringSettings() {
        assertThat(KeytrailCli.withDefaultCommand(new String[0])).containsExactly("serve");
        assertThat(KeytrailCli.withDefaultCommand(new String[] {"--server.port=1"})).containsExactly("serve",
                "--server.port=1");
        assertThat(KeytrailCli.withDefaultCommand(new String[] {"--help"})).containsExactly("--help");
        assertThat(KeytrailCli.withDefaultCommand(new String[] {"replay", "--store=x"})).containsExactly("replay",
                "--store=x");
        assertThat(KeytrailCli.withDefaultCommand(new String[] {"--server.port=1", "replay"})).containsExactly(
                "--server.port=1", "replay");
    }
}
