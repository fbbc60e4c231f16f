package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of one service on the default H2 file store (application.yml's URL, under the test's
 * directory; what an operator gets without configuring one), as child JVMs: crashes, a normal stop and a
 * start with the wrong sealing key, one after the other on the same store. Each scenario runs on the
 * node the previous one left running (a restart is part of each scenario anyway), and the decrypt arrays
 * are a feed of the kill round (once KillNineDecryptTest, on a store of its own), so the service boots
 * three times and is refused once, instead of six times and once in two classes (issue 8: suite time;
 * ADR 0027); run alone, a scenario starts its own node.
 *
 * <ol>
 * <li>Design section 11: an input answered with success survives a {@code kill -9} the next instant; so do
 * the replay claims of an answered decrypt array (ADR 0021).</li>
 * <li>Design section 11: shutdown finishes in-flight work, then closes the store.</li>
 * <li>Issue 9: a node with another sealing key than the one that sealed the stored session keys refuses
 * to start.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ChildProcessLane
class OneStoreLifecycleTest {
    private static final int USERS_PER_ROUND = 24;
    /** Another fixed, public test key (32 bytes of 0x07). */
    private static final String OTHER_KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";
    private static final List<String> DEFAULT_STORE = List.of();

    @TempDir
    static Path dir;
    /** The node the last scenario left running on the store, or null. */
    private static ServiceProcess running;
    private static int starts;

    /** The running node, or a new one on the store. */
    private static ServiceProcess node() {
        if (running == null) {
            running = ServiceProcess.start(dir, "node-" + starts++, DEFAULT_STORE);
        }
        return running;
    }

    /** A new node on the store (the last one must have ended). */
    private static ServiceProcess restart() {
        running = null;
        return node();
    }

    @AfterAll
    static void stopTheLastNode() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /**
     * Clients post room keys and {@code /keys/query} answers concurrently, and two more clients post arrays
     * of decrypts ({@link DecryptRound}); the process is killed (SIGKILL) once each feed has had a random
     * number of answers, restarted on the same store, and every acknowledged input must be there: its
     * session, and for users whose keys were acknowledged, the upgrade (or, without an acknowledged
     * session, a fresh room key that the stored device decides at once); and every event of every answered
     * decrypt array still owns its message index. Rounds: {@code -Dkeytrail.crash.rounds} (default 1: each
     * run kills at another random point, and prints the seed that chose it; ADR 0027).
     */
    @Test
    @Order(1)
    void everyAcknowledgedInputSurvivesKillNineDuringConcurrentIngest() throws Exception {
        int rounds = Integer.getInteger("keytrail.crash.rounds", 1);
        long seed = Long.getLong("keytrail.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<IngestRound> done = new ArrayList<>();
        List<DecryptRound> decrypted = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            String tag = "r" + r + "-" + Long.toHexString(seed);
            IngestRound round = new IngestRound(tag, random, USERS_PER_ROUND);
            DecryptRound decrypts = new DecryptRound(tag, random);
            ServiceProcess node = node();
            decrypts.prepare(node);
            Feed.postThen(node, ServiceProcess::kill, random, round, decrypts);
            ServiceProcess restarted = restart();
            round.check(restarted);
            decrypts.check(restarted);
            done.add(round);
            decrypted.add(decrypts);
        }
        int acknowledged = done.stream().mapToInt(IngestRound::acknowledged).sum();
        int lost = done.stream().mapToInt(round -> round.lost().size()).sum();
        int arrays = decrypted.stream().mapToInt(DecryptRound::answered).sum();
        int claimsLost = decrypted.stream().mapToInt(round -> round.lost().size()).sum();
        SuiteConsole.printf("kill -9 durability: seed %d, %d rounds, %d inputs acknowledged, %d lost; "
                + "%d decrypt arrays (of %d events) answered, %d claims lost%n", seed, rounds, acknowledged, lost, arrays,
                DecryptRound.EVENTS_PER_ARRAY, claimsLost);
        assertThat(done).allSatisfy(round -> assertThat(round.refused()).as("inputs refused").isEmpty());
        assertThat(done).allSatisfy(round -> assertThat(round.lost()).as("acknowledged but lost (seed %d)", seed)
                .isEmpty());
        assertThat(acknowledged).as("the kills came after some answers").isGreaterThanOrEqualTo(rounds * 5);
        assertThat(decrypted).allSatisfy(round -> {
            assertThat(round.refused()).as("events refused").isEmpty();
            assertThat(round.answered()).as("the kill came after some decrypt arrays").isGreaterThanOrEqualTo(3);
            assertThat(round.lost()).as("answered but lost claims (seed %d)", seed).isEmpty();
        });
    }

    /**
     * A normal stop (SIGTERM) during concurrent ingest answers no request with a 5xx (H2's own shutdown
     * hook used to close the database under them: 500 "Database is already closed"), and everything it
     * acknowledged is there after a restart.
     */
    @Test
    @Order(2)
    void stopDuringConcurrentIngest_failsNoRequest_andKeepsEveryAcknowledgedInput() throws Exception {
        long seed = System.nanoTime();
        IngestRound round = new IngestRound("stop-" + Long.toHexString(seed), new Random(seed), 24);
        ServiceProcess node = node();
        try {
            round.ingestThen(node, ServiceProcess::close);
        } finally {
            node.close();
            running = null;
        }
        round.check(restart());

        SuiteConsole.printf("graceful stop: %d acknowledged, %d lost, answers other than 2xx: %s%n",
                round.acknowledged(), round.lost().size(), round.refused());
        assertThat(round.refused()).as("answers other than 2xx during the stop (seed %d)", seed).isEmpty();
        assertThat(round.lost()).as("acknowledged but lost (seed %d)", seed).isEmpty();
        assertThat(round.acknowledged()).isGreaterThanOrEqualTo(5);
    }

    /** The refusal names both key ids (never a key) instead of answering with 500s. */
    @Test
    @Order(3)
    void nodeWithAnotherSealingKeyThanTheStore_refusesToStart() throws Exception {
        Workload.RoomKey key = Workload.roomKey(Workload.users("seal-" + new Random().nextInt(1 << 20), 1).get(0),
                "!seal:durable.test");
        try (ServiceProcess first = node()) {
            assertThat(first.postInput(key.input()).statusCode()).isEqualTo(200);
        } finally {
            running = null;
        }

        ServiceProcess second = ServiceProcess.launch(dir, "node-" + starts++, DEFAULT_STORE, OTHER_KEY);
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
