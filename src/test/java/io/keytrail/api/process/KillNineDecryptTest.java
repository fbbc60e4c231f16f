package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Design section 11 for decryption of arrays (ADR 0021): the replay claims of an answered array are on
 * disk. Two clients post arrays of decrypts to a child JVM on the default H2 file store, which is killed
 * (SIGKILL) after a random number of answered arrays; on the restarted node, every event of every
 * answered array must still own its message index: the same ciphertext under another event id is
 * refused as a replay, naming the first event.
 */
@ChildProcessLane
class KillNineDecryptTest {
    private static final int ARRAYS = 24;
    private static final int EVENTS_PER_ARRAY = 20;
    private static final int CLIENTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private record Event(String eventId, String ciphertext) {
    }

    @Test
    void everyAnsweredDecryptArraysClaimsSurviveKillNine() throws Exception {
        long seed = Long.getLong("keytrail.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        String tag = Long.toHexString(seed);
        TestAccount sender = Workload.users("dk-" + tag, 1).get(0);
        String room = "!decrypt-" + tag + ":durable.test";
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        Workload.RoomKey roomKey = Workload.roomKey(sender, room, megolm);
        List<List<Event>> arrays = new ArrayList<>();
        for (int a = 0; a < ARRAYS; a++) {
            List<Event> array = new ArrayList<>();
            for (int e = 0; e < EVENTS_PER_ARRAY; e++) {
                ObjectNode payload = NODES.objectNode().put("type", "m.room.message").put("room_id", room);
                payload.putObject("content").put("msgtype", "m.text").put("body", a + "/" + e);
                array.add(new Event("$e" + a + "-" + e + "-" + tag, megolm.encrypt(payload.toString())));
            }
            arrays.add(array);
        }
        int stopAfter = 3 + random.nextInt(ARRAYS / 2);
        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        List<String> refused = Collections.synchronizedList(new ArrayList<>());

        ServiceProcess node = ServiceProcess.start(dir, "node-0", List.of());
        try {
            assertThat(node.postInput(Workload.keys(sender)).statusCode()).isEqualTo(200);
            assertThat(node.postInput(roomKey.input()).statusCode()).isEqualTo(200);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            ServiceProcess killed = node;
            for (int c = 0; c < CLIENTS; c++) {
                clients.execute(() -> {
                    for (int a = next.getAndIncrement(); a < ARRAYS; a = next.getAndIncrement()) {
                        try {
                            HttpResponse<String> response = killed.postInput(decrypts(room, sender, roomKey.sessionId(), arrays.get(a), ""));
                            JsonNode outcomes = JSON.readTree(response.body());
                            if (response.statusCode() != 200 || outcomes.size() != EVENTS_PER_ARRAY) {
                                continue; // cut off by the kill: not an answer
                            }
                            for (JsonNode outcome : outcomes) {
                                if (!outcome.has("result")) {
                                    refused.add(outcome.toString());
                                }
                            }
                            answered.add(a);
                        } catch (IOException e) {
                            return; // the node is gone: this array was never answered
                        }
                        if (done.incrementAndGet() == stopAfter) {
                            killed.kill();
                        }
                    }
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients ended").isTrue();
            node.kill();
            node = ServiceProcess.start(dir, "node-1", List.of());

            List<String> lost = new ArrayList<>();
            for (int a : answered) {
                JsonNode outcomes = JSON.readTree(node.postInput(decrypts(room, sender, roomKey.sessionId(), arrays.get(a), "-replayed")).body());
                for (int e = 0; e < EVENTS_PER_ARRAY; e++) {
                    String message = outcomes.path(e).at("/error/message").asText();
                    if (!message.contains("replayed message") || !message.contains("for event " + arrays.get(a).get(e).eventId() + ", not")) {
                        lost.add(arrays.get(a).get(e).eventId() + ": " + outcomes.path(e));
                    }
                }
            }
            System.out.printf("kill -9 durability of decrypt arrays: seed %d, %d arrays of %d answered, %d claims lost%n",
                    seed, answered.size(), EVENTS_PER_ARRAY, lost.size());
            assertThat(refused).as("events refused").isEmpty();
            assertThat(answered).as("the kill came after some answers").hasSizeGreaterThanOrEqualTo(3);
            assertThat(lost).as("answered but lost (seed %d)", seed).isEmpty();
        } finally {
            node.close();
        }
    }

    /** One array of decrypt inputs, each event id with {@code suffix}. */
    private static ArrayNode decrypts(String room, TestAccount sender, String sessionId, List<Event> events,
                                      String suffix) {
        ArrayNode array = NODES.arrayNode();
        for (Event event : events) {
            ObjectNode input = array.addObject().put("type", "decrypt").put("room_id", room).put("policy", "SHOW_ALL");
            ObjectNode encrypted = input.putObject("event").put("type", "m.room.encrypted").put("sender", sender.userId())
                    .put("event_id", event.eventId() + suffix).put("room_id", room);
            encrypted.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", sessionId)
                    .put("ciphertext", event.ciphertext());
        }
        return array;
    }
}
