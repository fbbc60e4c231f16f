package io.keytrail.api.process;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.matrix.fixture.TestAccount;

/**
 * One round of concurrent ingest against a node: room keys and keys of fresh users in random order from
 * several clients, the node stopped (killed or terminated) after a random number of answers; then the
 * check, on a restarted node, that every acknowledged input is there.
 */
final class IngestRound implements Feed {
    private static final int CLIENTS = 4;
    private final List<TestAccount> users;
    private final List<Workload.RoomKey> roomKeys = new ArrayList<>();
    private final Set<Workload.RoomKey> ackedRoomKeys = ConcurrentHashMap.newKeySet();
    private final Set<TestAccount> ackedKeys = ConcurrentHashMap.newKeySet();
    private final List<String> lost = Collections.synchronizedList(new ArrayList<>());
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private final List<Object> order;
    private final int stopAfter;

    IngestRound(String tag, Random random, int usersPerRound) {
        users = Workload.users(tag, usersPerRound);
        stopAfter = 5 + random.nextInt(2 * usersPerRound - 10);
        for (TestAccount user : users) {
            roomKeys.add(Workload.roomKey(user, "!room-" + tag + ":durable.test"));
        }
        List<Object> order = new ArrayList<>(roomKeys);
        order.addAll(users);
        Collections.shuffle(order, random);
        this.order = order;
    }

    List<String> lost() {
        return lost;
    }

    /** Answers other than 2xx: a refused input, or a 5xx while the node stopped. */
    List<String> refused() {
        return refused;
    }

    int acknowledged() {
        return ackedRoomKeys.size() + ackedKeys.size();
    }

    /** Posts every input from several clients and applies {@code stop} after a random number of answers. */
    void ingestThen(ServiceProcess node, Consumer<ServiceProcess> stop) throws InterruptedException {
        Feed.postThen(node, stop, new Random(), this); // one feed: nothing to interleave
    }

    @Override
    public Shape shape() {
        return new Shape(order.size(), CLIENTS, stopAfter);
    }

    @Override
    public boolean post(ServiceProcess node, int index) throws IOException {
        Object item = order.get(index);
        HttpResponse<String> response = item instanceof Workload.RoomKey key
                ? node.postInput(key.input()) : node.postInput(Workload.keys((TestAccount) item));
        if (response.statusCode() / 100 != 2) {
            refused.add(response.statusCode() + " " + response.body());
            return false;
        }
        if (item instanceof Workload.RoomKey key) {
            ackedRoomKeys.add(key);
        } else {
            ackedKeys.add((TestAccount) item);
        }
        return true;
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
