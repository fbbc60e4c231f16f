package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code replay} end to end (design section 10): the quick-start recording against its checked-in
 * expected output, line by line semantics, the edge cases of the line format, exit codes, and a
 * {@code --store} that a second replay continues from.
 */
class ReplayCommandTest {
    static final Path QUICKSTART = Path.of("examples/quickstart.jsonl");
    static final Path QUICKSTART_EXPECTED = Path.of("examples/quickstart.expected.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path quickstartTemp;
    static Run quickstart;

    record Run(int exit, String stdout, String stderr) {
        List<JsonNode> lines() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (!line.isEmpty()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }
            }
            return out;
        }
    }

    static Run replay(Path tempParent, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] full = Stream.concat(Stream.of("replay"), Arrays.stream(args)).toArray(String[]::new);
        int exit = ReplayCommand.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tempParent);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void replayQuickstart() {
        quickstart = replay(quickstartTemp, QUICKSTART.toString());
    }

    @Test
    void quickstart_exitsZero_andMatchesTheExpectedOutputByteForByte() throws IOException {
        assertThat(quickstart.exit()).as(quickstart.stderr()).isZero();
        assertThat(quickstart.stdout())
                .as("examples/quickstart.expected.jsonl is out of date: regenerate it with "
                        + "java -jar target/keytrail.jar replay examples/quickstart.jsonl > examples/quickstart.expected.jsonl "
                        + "and review the diff")
                .isEqualTo(Files.readString(QUICKSTART_EXPECTED, StandardCharsets.UTF_8));
    }

    @Test
    void quickstart_throwawayStoreIsDeletedAtTheEnd() throws IOException {
        try (Stream<Path> left = Files.list(quickstartTemp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void quickstart_standardOutputHoldsOnlyResultLines_inInputOrder_thenSessions() {
        List<JsonNode> lines = quickstart.lines();
        assertThat(quickstart.stdout()).endsWith("\n").doesNotContain("\r");
        assertThat(lines).hasSize(14 + 3);
        for (int i = 0; i < 14; i++) {
            assertThat(fieldNames(lines.get(i))).as("line %d", i + 1)
                    .isIn(List.of("line", "result"), List.of("line", "error"));
            assertThat(lines.get(i).get("line").intValue()).isEqualTo(i + 1);
        }
        for (JsonNode session : lines.subList(14, 17)) {
            assertThat(fieldNames(session)).containsExactly("session");
            assertThat(fieldNames(session.get("session")))
                    .containsExactly("room_id", "session_id", "sender_data", "discarded");
        }
    }

    @Test
    void quickstart_eachLineMeansWhatTheStorySays() {
        List<JsonNode> l = quickstart.lines();
        String alice = l.get(1).at("/result/session_id").textValue();
        String carol = l.get(8).at("/result/session_id").textValue();

        assertThat(l.get(0).get("result")).isEmpty();
        assertThat(fieldNames(l.get(1).get("result"))).containsExactly("room_id", "session_id", "sender_data");
        assertThat(l.get(1).at("/result/sender_data").toString()).isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
        // keys arrive: re-decided to SenderUnverified; nothing refused
        assertThat(fieldNames(l.get(2).get("result"))).containsExactly("updated", "rejected");
        assertThat(l.get(2).at("/result/updated/0/session_id").textValue()).isEqualTo(alice);
        assertThat(fieldNames(l.get(2).at("/result/updated/0")))
                .containsExactly("room_id", "session_id", "sender_data", "discarded");
        assertThat(l.get(2).at("/result/updated/0/sender_data/SenderUnverified/user_id").textValue())
                .isEqualTo("@alice:example.org");
        assertThat(l.get(2).at("/result/rejected")).isEmpty();
        // CROSS_SIGNED shows it, with the whole payload
        assertThat(fieldNames(l.get(3).get("result"))).containsExactly("plaintext", "verification_state", "sender_device");
        assertThat(fieldNames(l.get(3).at("/result/plaintext"))).containsExactly("type", "content", "room_id");
        assertThat(l.get(3).at("/result/plaintext/content/body").textValue()).isEqualTo("Hello Bob, this is Alice.");
        assertThat(l.get(3).at("/result/verification_state").toString()).isEqualTo("{\"Unverified\":\"UnverifiedIdentity\"}");
        assertThat(l.get(3).at("/result/sender_device").textValue()).isEqualTo("ALICEPHONE");
        // VERIFIED_ONLY withholds it and names the level
        assertThat(fieldNames(l.get(4).get("error"))).containsExactly("code", "message", "verification_level");
        assertThat(l.get(4).at("/error/code").textValue()).isEqualTo("SENDER_IDENTITY_NOT_TRUSTED");
        assertThat(l.get(4).at("/error/verification_level").textValue()).isEqualTo("UnverifiedIdentity");
        // verification: SenderVerified, and verify_master_key carries no "rejected"
        assertThat(fieldNames(l.get(5).get("result"))).containsExactly("updated");
        assertThat(l.get(5).at("/result/updated/0/sender_data/SenderVerified/master_key").isTextual()).isTrue();
        assertThat(l.get(6).at("/result/verification_state").textValue()).isEqualTo("Verified");
        // rewritten event sender: shown only under SHOW_ALL, no device named
        assertThat(l.get(7).at("/result/verification_state").toString()).isEqualTo("{\"Unverified\":\"MismatchedSender\"}");
        assertThat(l.get(7).at("/result/sender_device").isNull()).isTrue();
        // Carol's self-signed device
        assertThat(l.get(8).at("/result/sender_data/DeviceInfo/device_keys/device_id").textValue()).isEqualTo("CAROLLAPTOP");
        assertThat(l.get(9).at("/error/verification_level").textValue()).isEqualTo("UnsignedDevice");
        // Dave's tampered device keys are refused, and his room key is discarded on arrival
        assertThat(l.get(10).at("/result/updated")).isEmpty();
        assertThat(fieldNames(l.get(10).at("/result/rejected/0"))).containsExactly("user_id", "what", "reason");
        assertThat(l.get(10).at("/result/rejected/0/user_id").textValue()).isEqualTo("@dave:example.org");
        assertThat(l.get(10).at("/result/rejected/0/what").textValue()).isEqualTo("device:DAVETABLET");
        assertThat(l.get(11).at("/error/code").textValue()).isEqualTo("SESSION_DISCARDED");
        // the same message index under a new event id is a replay
        assertThat(l.get(12).at("/error/code").textValue()).isEqualTo("INVALID_INPUT");
        assertThat(l.get(12).at("/error/message").textValue()).startsWith("replayed message");
        assertThat(l.get(13).at("/error/code").textValue()).isEqualTo("INVALID_INPUT");
        assertThat(l.get(13).at("/error/message").textValue()).startsWith("the line is not valid JSON");
        // every stored session at the end, the discarded one included
        assertThat(l.get(14).at("/session/session_id").textValue()).isEqualTo(alice);
        assertThat(l.get(14).at("/session/sender_data/SenderVerified").isObject()).isTrue();
        assertThat(l.get(15).at("/session/session_id").textValue()).isEqualTo(carol);
        assertThat(l.get(15).at("/session/discarded").booleanValue()).isFalse();
        assertThat(l.get(16).at("/session/discarded").booleanValue()).isTrue();
    }

    @Test
    void edgeCasesOfTheLineFormat_andAStoreThatASecondReplayContinuesFrom(@TempDir Path work) throws IOException {
        Story story = new Story();
        String ciphertext = story.encrypt("kept across runs");
        String sameEvent = story.decrypt("SHOW_ALL", ciphertext, story.eventId("a")).toString();
        String ownDevice = Story.ownDevice().toString();
        Path store = work.resolve("store");
        Path first = work.resolve("first.jsonl");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<String> text = List.of(
                "",                                                                  // 1 blank
                ownDevice,                                                           // 2
                "  \t ",                                                             // 3 blank
                "{\"type\":\"room_key\",",                                           // 4 malformed
                "{\"type\":\"teleport\"}",                                           // 5 unknown type
                ownDevice.replaceFirst("\\{", "{\"colour\":\"blue\","),              // 6 unknown field
                ownDevice.replaceFirst("\\{", "{\"type\":\"own_device\","),          // 7 duplicate key
                "[1,2]",                                                             // 8 not an object
                "\"own_device\"",                                                    // 9 not an object
                story.roomKey().toString(),                                          // 10
                sameEvent,                                                           // 11
                ownDevice.replaceFirst("\\{", "{\"_padding\":\"" + "x".repeat(5_000_000) + "\","), // 12 huge
                sameEvent + "\r");                                                   // 13 CRLF, same event again
        for (String line : text) {
            file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        file.write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});   // 14 not UTF-8
        String otherRoom = story.decrypt("SHOW_ALL", ciphertext, story.eventId("a")).put("room_id", "!other:example.org")
                .toString();
        file.write((otherRoom + "\n").getBytes(StandardCharsets.UTF_8));              // 15 room ids differ
        file.write("\nnull".getBytes(StandardCharsets.UTF_8));                        // 16 blank, 17 no final newline
        Files.write(first, file.toByteArray());

        Run run1 = replay(work, first.toString(), "--store", store.toString());

        assertThat(run1.exit()).as(run1.stderr()).isZero();
        Iterator<JsonNode> out = run1.lines().iterator();
        expectResult(out.next(), 2);
        expectError(out.next(), 4, "INVALID_INPUT", "not valid JSON");
        expectError(out.next(), 5, "INVALID_INPUT", "unknown or missing input type \"teleport\"");
        expectError(out.next(), 6, "INVALID_INPUT", "unknown field \"colour\"");
        expectError(out.next(), 7, "INVALID_INPUT", "Duplicate field 'type'");
        expectError(out.next(), 8, "INVALID_INPUT", "must be a JSON object");
        expectError(out.next(), 9, "INVALID_INPUT", "must be a JSON object");
        assertThat(expectResult(out.next(), 10).get("session_id").textValue()).isEqualTo(story.sessionId());
        JsonNode shown = expectResult(out.next(), 11);
        assertThat(shown.at("/plaintext/content/body").textValue()).isEqualTo("kept across runs");
        assertThat(shown.at("/verification_state").toString()).isEqualTo("{\"Unverified\":{\"None\":\"MissingDevice\"}}");
        assertThat(shown.get("sender_device").isNull()).isTrue();
        assertThat(expectResult(out.next(), 12)).isEmpty();
        assertThat(expectResult(out.next(), 13)).isEqualTo(shown);
        expectError(out.next(), 14, "INVALID_INPUT", "not valid UTF-8");
        expectError(out.next(), 15, "INVALID_INPUT", "differs from the room it arrived in");
        expectError(out.next(), 17, "INVALID_INPUT", "must be a JSON object");
        JsonNode session = out.next();
        assertThat(session.at("/session/session_id").textValue()).isEqualTo(story.sessionId());
        assertThat(session.at("/session/sender_data").toString()).isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
        assertThat(out.hasNext()).isFalse();
        assertThat(store.resolve("keytrail.mv.db")).exists();

        Path second = work.resolve("second.jsonl");
        Files.writeString(second, String.join("\n", sameEvent,
                story.decrypt("SHOW_ALL", ciphertext, story.eventId("b")).toString(),
                story.keysQuery().toString()) + "\n", StandardCharsets.UTF_8);

        Run run2 = replay(work, second.toString(), "--store=" + store);

        assertThat(run2.exit()).as(run2.stderr()).isZero();
        List<JsonNode> lines = run2.lines();
        assertThat(lines).hasSize(4);
        assertThat(expectResult(lines.get(0), 1).at("/plaintext/content/body").textValue()).isEqualTo("kept across runs");
        expectError(lines.get(1), 2, "INVALID_INPUT", "was already decrypted for event " + story.eventId("a"));
        assertThat(expectResult(lines.get(2), 3).at("/updated/0/sender_data/SenderUnverified/user_id").textValue())
                .isEqualTo(story.sender.userId());
        assertThat(lines.get(3).at("/session/sender_data/SenderUnverified").isObject()).isTrue();
    }

    @Test
    void consecutiveRoomKeyLines_areDecidedTogether_andEachIsAnsweredOnItsOwnLineInOrder(@TempDir Path work)
            throws IOException {
        Story known = new Story();
        Story unknown = new Story();
        Story typo = new Story();
        Path file = work.resolve("run.jsonl");
        Files.writeString(file, String.join("\n",
                Story.ownDevice().toString(),                                         // 1
                known.keysQuery().toString(),                                         // 2
                known.roomKey().toString(),                                           // 3
                unknown.roomKey().toString(),                                         // 4
                "",                                                                   // 5 blank
                typo.roomKey().put("colour", "blue").toString(),                      // 6 unknown field
                known.roomKey().toString()) + "\n");                                 // 7 the same session again

        Run run = replay(work, file.toString());

        assertThat(run.exit()).as(run.stderr()).isZero();
        List<JsonNode> lines = run.lines();
        assertThat(lines.subList(0, 6)).extracting(l -> l.path("line").intValue()).containsExactly(1, 2, 3, 4, 6, 7);
        assertThat(lines.get(2).at("/result/sender_data").has("SenderUnverified")).as(lines.get(2).toString()).isTrue();
        assertThat(lines.get(3).at("/result/sender_data").has("UnknownDevice")).isTrue();
        assertThat(lines.get(4).at("/error/code").textValue()).isEqualTo("INVALID_INPUT");
        assertThat(lines.get(5).at("/result/session_id").textValue()).isEqualTo(known.sessionId());
        assertThat(lines.get(5).at("/result/sender_data")).isEqualTo(lines.get(2).at("/result/sender_data"));
        assertThat(lines.subList(6, lines.size())).hasSize(2).allSatisfy(l -> assertThat(l.has("session")).isTrue());
    }

    @Test
    void missingArguments_isAUsageError() {
        Run run = replay(null);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("no recording given", "usage: java -jar keytrail.jar replay FILE.jsonl");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void missingFile_exitsNonZero_withAMessageOnStandardError(@TempDir Path dir) {
        Run run = replay(null, dir.resolve("nothing.jsonl").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("cannot read", "nothing.jsonl", "no such file");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void directoryInsteadOfAFile_isRefused(@TempDir Path dir) {
        Run run = replay(null, dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("a directory");
    }

    @Test
    void unknownOption_isAUsageError() {
        Run run = replay(null, QUICKSTART.toString(), "--verbose");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("unexpected argument --verbose", "usage:");
    }

    @Test
    void storeWithoutADirectory_isAUsageError() {
        Run run = replay(null, QUICKSTART.toString(), "--store");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("--store needs a directory");
    }

    @Test
    void storeThatIsAFile_isRefusedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("store"), "x");
        Run run = replay(null, QUICKSTART.toString(), "--store", notADirectory.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("cannot use", "as the store");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void help_printsUsage_andSucceeds() {
        Run run = replay(null, "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.stderr()).contains("--store DIR");
        assertThat(run.stdout()).isEmpty();
    }

    private static JsonNode expectResult(JsonNode line, int number) {
        assertThat(line.path("line").intValue()).as(line.toString()).isEqualTo(number);
        assertThat(line.has("result")).as(line.toString()).isTrue();
        return line.get("result");
    }

    private static void expectError(JsonNode line, int number, String code, String messagePart) {
        assertThat(line.path("line").intValue()).as(line.toString()).isEqualTo(number);
        assertThat(line.at("/error/code").textValue()).as(line.toString()).isEqualTo(code);
        assertThat(line.at("/error/message").textValue()).contains(messagePart);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
