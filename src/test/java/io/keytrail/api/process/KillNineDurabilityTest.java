package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design section 11: an input answered with success survives a {@code kill -9} the next instant. The
 * service runs as a child JVM on the default H2 file store (application.yml's URL, under the test's
 * directory); clients post room keys and {@code /keys/query} answers concurrently, the process is killed (SIGKILL) after a random number of
 * answers, restarted on the same store, and every acknowledged input must be there: its session, and
 * for users whose keys were acknowledged, the upgrade (or, without an acknowledged session, a fresh room
 * key that the stored device decides at once). Rounds: {@code -Dkeytrail.crash.rounds} (default 2).
 */
class KillNineDurabilityTest {
    private static final int USERS_PER_ROUND = 24;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedInputSurvivesKillNineDuringConcurrentIngest() throws Exception {
        int rounds = Integer.getInteger("keytrail.crash.rounds", 2);
        long seed = Long.getLong("keytrail.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> store = List.of(); // the default store: what an operator gets without configuring one
        List<IngestRound> done = new ArrayList<>();
        ServiceProcess node = ServiceProcess.start(dir, "node-0", store);
        try {
            for (int r = 1; r <= rounds; r++) {
                IngestRound round = new IngestRound("r" + r + "-" + Long.toHexString(seed), random, USERS_PER_ROUND);
                round.ingestThen(node, ServiceProcess::kill);
                node = ServiceProcess.start(dir, "node-" + r, store);
                round.check(node);
                done.add(round);
            }
        } finally {
            node.close();
        }
        int acknowledged = done.stream().mapToInt(IngestRound::acknowledged).sum();
        int lost = done.stream().mapToInt(round -> round.lost().size()).sum();
        System.out.printf("kill -9 durability: seed %d, %d rounds, %d inputs acknowledged, %d lost%n",
                seed, rounds, acknowledged, lost);
        assertThat(done).allSatisfy(round -> assertThat(round.refused()).as("inputs refused").isEmpty());
        assertThat(done).allSatisfy(round -> assertThat(round.lost()).as("acknowledged but lost (seed %d)", seed)
                .isEmpty());
        assertThat(acknowledged).as("the kills came after some answers").isGreaterThanOrEqualTo(rounds * 5);
    }
}
