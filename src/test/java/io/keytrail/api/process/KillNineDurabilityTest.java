package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.matrix.fixture.TestAccount;

/**
 * Design section 11: an input answered with success survives a {@code kill -9} the next instant. The
 * service runs as a child JVM on the default H2 file store (application.yml's URL, under the test's
 * directory); clients post room keys and
 * {@code /keys/query} answers concurrently, the process is killed (SIGKILL) after a random number of
 * answers, restarted on the same store, and every acknowledged input must be there: its session, and
 * for users whose keys were acknowledged, the upgrade (or, without an acknowledged session, a fresh room
 * key that the stored device decides at once). Rounds: {@code -Dkeytrail.crash.rounds} (default 2).
 */
class KillNineDurabilityTest {
    private static final int USERS_PER_ROUND = 24;
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedInputSurvivesKillNineDuringConcurrentIngest() throws Exception {
        int rounds = Integer.getInteger("keytrail.crash.rounds", 2);
        long seed = Long.getLong("keytrail.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> store = List.of(); // the default store: what an operator gets without configuring one
        List<Round> done = new ArrayList<>();
        ServiceProcess node = ServiceProcess.start(dir, "node-0", store);
        try {
            for (int r = 1; r <= rounds; r++) {
                Round round = new Round("r" + r + "-" + Long.toHexString(seed), random);
                round.ingestAndKill(node);
                node = ServiceProcess.start(dir, "node-" + r, store);
                round.check(node);
                done.add(round);
            }
        } finally {
            node.close();
        }
        int acknowledged = done.stream().mapToInt(Round::acknowledged).sum();
        int lost = done.stream().mapToInt(round -> round.lost.size()).sum();
        System.out.printf("kill -9 durability: seed %d, %d rounds, %d inputs acknowledged, %d lost%n",
                seed, rounds, acknowledged, lost);
        assertThat(done).allSatisfy(round -> assertThat(round.refused).as("inputs refused").isEmpty());
        assertThat(done).allSatisfy(round -> assertThat(round.lost).as("acknowledged but lost (seed %d)", seed)
                .isEmpty());
        assertThat(acknowledged).as("the kills came after some answers").isGreaterThanOrEqualTo(rounds * 5);
    }

    private static final class Round {
        private final List<TestAccount> users;
        private final List<Workload.RoomKey> roomKeys = new ArrayList<>();
        private final Set<Workload.RoomKey> ackedRoomKeys = ConcurrentHashMap.newKeySet();
        private final Set<TestAccount> ackedKeys = ConcurrentHashMap.newKeySet();
        private final List<String> lost = Collections.synchronizedList(new ArrayList<>());
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        private final List<Runnable> inputs = new ArrayList<>();
        private final int killAfter;

        Round(String tag, Random random) {
            users = Workload.users(tag, USERS_PER_ROUND);
            killAfter = 5 + random.nextInt(2 * USERS_PER_ROUND - 10);
            for (TestAccount user : users) {
                roomKeys.add(Workload.roomKey(user, "!room-" + tag + ":durable.test"));
            }
            List<Object> order = new ArrayList<>(roomKeys);
            order.addAll(users);
            Collections.shuffle(order, random);
            this.order = order;
        }

        private final List<Object> order;

        int acknowledged() {
            return ackedRoomKeys.size() + ackedKeys.size();
        }

        void ingestAndKill(ServiceProcess node) throws InterruptedException {
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                clients.execute(() -> {
                    for (int i = next.getAndIncrement(); i < order.size(); i = next.getAndIncrement()) {
                        Object item = order.get(i);
                        try {
                            HttpResponse<String> response = item instanceof Workload.RoomKey key
                                    ? node.postInput(key.input()) : node.postInput(Workload.keys((TestAccount) item));
                            if (response.statusCode() / 100 != 2) {
                                refused.add(response.statusCode() + " " + response.body());
                                continue;
                            }
                            if (item instanceof Workload.RoomKey key) {
                                ackedRoomKeys.add(key);
                            } else {
                                ackedKeys.add((TestAccount) item);
                            }
                        } catch (IOException e) {
                            return; // the node is gone: this input was never acknowledged
                        }
                        if (answered.incrementAndGet() == killAfter) {
                            node.kill();
                        }
                    }
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients ended").isTrue();
            node.kill(); // when every input was answered before the chosen moment
        }

        void check(ServiceProcess node) throws IOException {
            for (Workload.RoomKey key : ackedRoomKeys) {
                JsonNode session = node.session(key.roomId(), key.sessionId());
                if (session == null) {
                    lost.add("session " + key.sessionId() + " of " + key.sender().userId());
                } else if (ackedKeys.contains(key.sender()) && !"SenderUnverified".equals(Workload.state(session))) {
                    lost.add("upgrade of " + key.sessionId() + ": " + session.path("sender_data"));
                }
            }
            for (TestAccount user : ackedKeys) {
                boolean seen = ackedRoomKeys.stream().anyMatch(k -> k.sender().equals(user));
                if (!seen) {
                    Workload.RoomKey probe = Workload.roomKey(user, "!probe:durable.test");
                    HttpResponse<String> response = node.postInput(probe.input());
                    if (!response.body().contains("SenderUnverified")) {
                        lost.add("keys of " + user.userId() + ": a new room key got " + response.body());
                    }
                }
            }
        }
    }
}
