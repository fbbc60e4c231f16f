package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design section 11: shutdown finishes in-flight work, then closes the store. A normal stop (SIGTERM)
 * during concurrent ingest on the default H2 store answers no request with a 5xx (H2's own shutdown hook
 * used to close the database under them: 500 "Database is already closed"), and everything it
 * acknowledged is there after a restart.
 */
class GracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void stopDuringConcurrentIngest_failsNoRequest_andKeepsEveryAcknowledgedInput() throws Exception {
        long seed = System.nanoTime();
        IngestRound round = new IngestRound("stop-" + Long.toHexString(seed), new Random(seed), 24);
        ServiceProcess node = ServiceProcess.start(dir, "node-0", List.of());
        try {
            round.ingestThen(node, ServiceProcess::close);
        } finally {
            node.close();
        }
        try (ServiceProcess restarted = ServiceProcess.start(dir, "node-1", List.of())) {
            round.check(restarted);
        }

        System.out.printf("graceful stop: %d acknowledged, %d lost, answers other than 2xx: %s%n",
                round.acknowledged(), round.lost().size(), round.refused());
        assertThat(round.refused()).as("answers other than 2xx during the stop (seed %d)", seed).isEmpty();
        assertThat(round.lost()).as("acknowledged but lost (seed %d)", seed).isEmpty();
        assertThat(round.acknowledged()).isGreaterThanOrEqualTo(5);
    }
}
