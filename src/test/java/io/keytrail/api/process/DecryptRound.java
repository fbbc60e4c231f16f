package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Design section 11 for decryption of arrays (ADR 0021): the replay claims of an answered array are on
 * disk. Two clients post arrays of decrypts of one sender's session (its keys and room key posted first);
 * the node is stopped after a random number of answered arrays; on the restarted node, every event of
 * every answered array must still own its message index: the same ciphertext under another event id is
 * refused as a replay, naming the first event. (Was KillNineDecryptTest, which booted two nodes of its
 * own; now a feed of {@link OneStoreLifecycleTest}'s kill rounds.)
 */
final class DecryptRound implements Feed {
    static final int ARRAYS = 24;
    static final int EVENTS_PER_ARRAY = 20;
    private static final int CLIENTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Event(String eventId, String ciphertext) {
    }

    private final TestAccount sender;
    private final String room;
    private final Workload.RoomKey roomKey;
    private final List<List<Event>> arrays = new ArrayList<>();
    private final int stopAfter;
    private final Set<Integer> answered = ConcurrentHashMap.newKeySet();
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lost = new ArrayList<>();

    DecryptRound(String tag, Random random) {
        sender = Workload.users("dk-" + tag, 1).get(0);
        room = "!decrypt-" + tag + ":durable.test";
        OutboundGroupSession megolm = OutboundGroupSession.create(new SecureRandom());
        roomKey = Workload.roomKey(sender, room, megolm);
        for (int a = 0; a < ARRAYS; a++) {
            List<Event> array = new ArrayList<>();
            for (int e = 0; e < EVENTS_PER_ARRAY; e++) {
                ObjectNode payload = NODES.objectNode().put("type", "m.room.message").put("room_id", room);
                payload.putObject("content").put("msgtype", "m.text").put("body", a + "/" + e);
                array.add(new Event("$e" + a + "-" + e + "-" + tag, megolm.encrypt(payload.toString())));
            }
            arrays.add(array);
        }
        stopAfter = 3 + random.nextInt(ARRAYS / 2);
    }

    /** The sender's keys and room key, before the arrays: the node decides and stores the session. */
    void prepare(ServiceProcess node) throws IOException {
        assertThat(node.postInput(Workload.keys(sender)).statusCode()).as("keys of the decrypting sender").isEqualTo(200);
        assertThat(node.postInput(roomKey.input()).statusCode()).as("room key of the decrypted session").isEqualTo(200);
    }

    @Override
    public Shape shape() {
        return new Shape(ARRAYS, CLIENTS, stopAfter);
    }

    @Override
    public boolean post(ServiceProcess node, int index) throws IOException {
        HttpResponse<String> response = node.postInput(decrypts(arrays.get(index), ""));
        JsonNode outcomes = JSON.readTree(response.body());
        if (response.statusCode() != 200 || outcomes.size() != EVENTS_PER_ARRAY) {
            return false; // cut off by the stop: not an answer
        }
        for (JsonNode outcome : outcomes) {
            if (!outcome.has("result")) {
                refused.add(outcome.toString());
            }
        }
        answered.add(index);
        return true;
    }

    /** On the restarted node: each event of each answered array replayed under another id. */
    void check(ServiceProcess node) throws IOException {
        for (int a : answered) {
            JsonNode outcomes = JSON.readTree(node.postInput(decrypts(arrays.get(a), "-replayed")).body());
            for (int e = 0; e < EVENTS_PER_ARRAY; e++) {
                String message = outcomes.path(e).at("/error/message").asText();
                if (!message.contains("replayed message")
                        || !message.contains("for event " + arrays.get(a).get(e).eventId() + ", not")) {
                    lost.add(arrays.get(a).get(e).eventId() + ": " + outcomes.path(e));
                }
            }
        }
    }

    /** Arrays answered before the stop. */
    int answered() {
        return answered.size();
    }

    /** Events of answered arrays that were not decrypted. */
    List<String> refused() {
        return refused;
    }

    /** Events of answered arrays whose claim the restarted node did not have. */
    List<String> lost() {
        return lost;
    }

    /** One array of decrypt inputs, each event id with {@code suffix}. */
    private ArrayNode decrypts(List<Event> events, String suffix) {
        ArrayNode array = NODES.arrayNode();
        for (Event event : events) {
            ObjectNode input = array.addObject().put("type", "decrypt").put("room_id", room).put("policy", "SHOW_ALL");
            ObjectNode encrypted = input.putObject("event").put("type", "m.room.encrypted")
                    .put("sender", sender.userId()).put("event_id", event.eventId() + suffix).put("room_id", room);
            encrypted.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2")
                    .put("session_id", roomKey.sessionId()).put("ciphertext", event.ciphertext());
        }
        return array;
    }
}
