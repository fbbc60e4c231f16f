package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * ADR 0012 on the command line: {@code forget} and {@code audit rotate-key} on a store written by
 * {@code replay --store} (which seals with the development key in the store directory).
 */
class KeysCliTest {
    private static final String ROOM = "!quickstart:example.org";
    private static final String SESSION = "cVM9Ai6uLDLzBUpOZ+ZQAcX/Q/wWxOta6jnvDLn+V7Y";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        List<JsonNode> lines() {
            return out.lines().map(line -> {
                try {
                    return MAPPER.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError(line, e);
                }
            }).toList();
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KeytrailCli.Io io = new KeytrailCli.Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, settings -> { });
        int exit = KeytrailCli.execute(args, io);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrors_exitTwo_withoutStartingTheEngine() {
        Run noTarget = run("forget", "--store", dir.toString());
        Run both = run("forget", "--store", dir.toString(), "--room", ROOM, "--session", ROOM, SESSION);
        Run half = run("forget", "--store", dir.toString(), "--session", ROOM);
        Run help = run("audit", "rotate-key", "--help");

        assertThat(noTarget.exit()).isEqualTo(2);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(half.exit()).isEqualTo(2);
        assertThat(noTarget.err() + both.err() + half.err()).doesNotContain("starting the engine");
        assertThat(help.exit()).isZero();
        assertThat(help.err()).contains("audit rotate-key --store DIR", "Keys at rest");
    }

    @Test
    void forgetASession_thenAnUnknownRoom_thenRotate_onAReplayedStore() {
        Path store = QuickstartStore.copyTo(dir.resolve("store"));

        Run one = run("forget", "--store", store.toString(), "--session", ROOM, SESSION, "--reason", "test erasure");
        Run unknown = run("forget", "--store", store.toString(), "--room", "!nowhere:example.org");
        Run rotate = run("audit", "rotate-key", "--store", store.toString());

        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.lines()).hasSize(2);
        assertThat(one.lines().get(0).path("session_id").textValue()).isEqualTo(SESSION);
        assertThat(one.lines().get(0).path("forgotten").booleanValue()).isTrue();
        assertThat(one.lines().get(1).at("/summary/forgotten").asLong()).isEqualTo(1);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("UNKNOWN_SESSION").doesNotContain("\tat ");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.lines()).hasSize(1);
        assertThat(rotate.lines().get(0).path("still_needed_key_ids")).isEmpty();
        assertThat(rotate.err()).contains("rotate-key: rewrap-data-keys", "older keys can now be removed");
    }
}
