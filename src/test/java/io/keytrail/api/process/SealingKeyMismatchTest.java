package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a node configured with another sealing key than the one that sealed the stored session keys
 * refuses to start, with a message naming both key ids (never a key), instead of answering with 500s.
 */
class SealingKeyMismatchTest {
    /** Another fixed, public test key (32 bytes of 0x07). */
    private static final String OTHER_KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";

    @TempDir
    Path dir;

    @Test
    void nodeWithAnotherSealingKeyThanTheStore_refusesToStart() throws Exception {
        Workload.RoomKey key = Workload.roomKey(Workload.users("seal-" + new Random().nextInt(1 << 20), 1).get(0),
                "!seal:durable.test");
        try (ServiceProcess first = ServiceProcess.start(dir, "node-0", List.of())) {
            assertThat(first.postInput(key.input()).statusCode()).isEqualTo(200);
        }

        ServiceProcess second = ServiceProcess.launch(dir, "node-1", List.of(), OTHER_KEY);
        try {
            // Exit 2 (a configuration to fix, README "Command line"), one paragraph, no stack trace (ADR 0012).
            assertThat(second.awaitExit(Duration.ofSeconds(120))).as("exit code").isEqualTo(2);
            assertThat(second.output()).contains("is not the key that sealed the session keys in this store")
                    .contains("APPLICATION FAILED TO START").doesNotContain("\tat ")
                    .doesNotContain(OTHER_KEY).doesNotContain(ServiceProcess.SEALING_KEY);
        } finally {
            second.close();
        }
    }
}
