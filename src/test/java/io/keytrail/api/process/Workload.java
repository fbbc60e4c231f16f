package io.keytrail.api.process;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/** Signed inputs for the process tests: users with one cross-signed device, their room keys and keys. */
public final class Workload {
    public static final String DEVICE = "DEV";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final OwnDevice ME = TestAccount.create("@me:durable.test", "me", "ME").ownDevice("ME");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Workload() {
    }

    /** {@code count} users that no earlier run used ({@code tag} makes them unique). */
    public static List<TestAccount> users(String tag, int count) {
        List<TestAccount> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(TestAccount.create("@u" + i + "-" + tag + ":durable.test", "u" + i + "-" + tag, DEVICE));
        }
        return users;
    }

    /** A room key input from the user's device, which the store may not know yet (no sender_device_keys). */
    public record RoomKey(TestAccount sender, String roomId, String sessionId, ObjectNode input) {
    }

    public static RoomKey roomKey(TestAccount sender, String roomId) {
        return roomKey(sender, roomId, OutboundGroupSession.create(RANDOM));
    }

    /** The room key of {@code megolm}, whose messages a test then encrypts. */
    public static RoomKey roomKey(TestAccount sender, String roomId, OutboundGroupSession megolm) {
        ObjectNode plaintext = sender.roomKeyPlaintext(DEVICE, ME, roomId, megolm.sessionId(),
                megolm.sessionKey().toBase64(), Optional.empty());
        ObjectNode input = NODES.objectNode().put("type", "room_key").put("sender", sender.userId())
                .put("sender_key", sender.device(DEVICE).curve25519().toBase64());
        input.set("plaintext", plaintext);
        return new RoomKey(sender, roomId, megolm.sessionId(), input);
    }

    /** A {@code /keys/query} answer listing the users' cross-signed devices and identities. */
    public static ObjectNode keys(TestAccount... users) {
        ObjectNode input = NODES.objectNode().put("type", "keys_query_response");
        input.set("body", KeysQueryBody.of(users));
        return input;
    }

    /** The variant name of a session's sender data, e.g. {@code SenderUnverified}. */
    public static String state(JsonNode session) {
        JsonNode senderData = session.path("sender_data");
        return senderData.isTextual() ? senderData.textValue() : senderData.fieldNames().next();
    }
}
