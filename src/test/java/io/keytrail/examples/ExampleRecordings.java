package io.keytrail.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Builds the example recordings in {@code examples/} from the project's own fixtures: deterministic
 * keys, real signatures, real Megolm sessions. {@code main} rewrites the files; a test checks that the
 * checked-in files are exactly what this produces.
 */
public final class ExampleRecordings {
    static final String ROOM = "!quickstart:example.org";
    static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDESKTOP");
    static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "ALICEPHONE");
    static final TestAccount CAROL = TestAccount.create("@carol:example.org", "carol", "CAROLLAPTOP");
    static final TestAccount DAVE = TestAccount.create("@dave:example.org", "dave", "DAVETABLET");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ExampleRecordings() {
    }

    /** The quick-start story: unknown device, keys arrive, policies, verification, tampering, bad input. */
    public static List<String> quickstart() {
        OwnDevice me = BOB.ownDevice("BOBDESKTOP");
        OutboundGroupSession alice = session("alice-session");
        OutboundGroupSession carol = session("carol-session");
        OutboundGroupSession dave = session("dave-session");
        String aliceKey = alice.sessionKey().toBase64();
        String carolKey = carol.sessionKey().toBase64();
        String daveKey = dave.sessionKey().toBase64();
        String aliceMessage = alice.encrypt(payload("Hello Bob, this is Alice."));
        String carolMessage = carol.encrypt(payload("Carol here, from a device I never cross-signed."));

        List<String> lines = new ArrayList<>();
        ObjectNode own = JSON.objectNode().put("type", "own_device").put("user_id", me.userId())
                .put("device_id", me.deviceId()).put("curve25519", me.curve25519().toBase64())
                .put("ed25519", me.ed25519().toBase64());
        lines.add(own.toString());
        // 2: Alice's room key arrives before we know her device: UnknownDevice, the slow lane would start.
        lines.add(roomKey(ALICE, "ALICEPHONE", me, alice.sessionId(), aliceKey, Optional.empty()).toString());
        // 3: her keys arrive: the session is re-decided to SenderUnverified (cross-signed, TOFU).
        lines.add(keysQuery(KeysQueryBody.of(ALICE)).toString());
        // 4, 5: CROSS_SIGNED shows it; VERIFIED_ONLY does not (yet).
        lines.add(decrypt("CROSS_SIGNED", ALICE.userId(), alice.sessionId(), aliceMessage).toString());
        lines.add(decrypt("VERIFIED_ONLY", ALICE.userId(), alice.sessionId(), aliceMessage).toString());
        // 6, 7: we verify Alice's master key: the same session upgrades to SenderVerified.
        lines.add(JSON.objectNode().put("type", "verify_master_key").put("user_id", ALICE.userId())
                .put("master_key", ALICE.masterKey().publicKey().toBase64()).toString());
        lines.add(decrypt("VERIFIED_ONLY", ALICE.userId(), alice.sessionId(), aliceMessage).toString());
        // 8: the homeserver rewrites the sender of Alice's message: MismatchedSender, shown only under SHOW_ALL.
        lines.add(decrypt("SHOW_ALL", "@mallory:example.org", alice.sessionId(), aliceMessage).toString());
        // 9, 10: Carol ships her own (self-signed, not cross-signed) device keys: DeviceInfo; CROSS_SIGNED refuses.
        lines.add(roomKey(CAROL, "CAROLLAPTOP", me, carol.sessionId(), carolKey,
                Optional.of(CAROL.deviceKeysJson("CAROLLAPTOP", DeviceSigning.SELF_SIGNED_ONLY))).toString());
        lines.add(decrypt("CROSS_SIGNED", CAROL.userId(), carol.sessionId(), carolMessage).toString());
        // 11, 12: Dave's device keys carry a self-signing signature that does not verify: tampering.
        lines.add(keysQuery(new KeysQueryBody().account(DAVE)
                .device(DAVE, "DAVETABLET", DeviceSigning.BAD_CROSS_SIGNATURE).build()).toString());
        lines.add(roomKey(DAVE, "DAVETABLET", me, dave.sessionId(), daveKey, Optional.empty()).toString());
        // 13: the homeserver re-sends Alice's message as a new event: the index is taken, a replay.
        lines.add(decrypt("SHOW_ALL", ALICE.userId(), alice.sessionId(), aliceMessage,
                "$replayed-" + eventId(alice.sessionId(), aliceMessage).substring(1)).toString());
        // 14: not JSON at all.
        lines.add("{\"type\": \"room_key\", oops");
        return lines;
    }

    private static OutboundGroupSession session(String label) {
        byte[] ratchet = new byte[128];
        byte[] seed = label.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < ratchet.length; i++) {
            ratchet[i] = (byte) (seed[i % seed.length] * 31 + i);
        }
        byte[] signingSeed = new byte[32];
        for (int i = 0; i < signingSeed.length; i++) {
            signingSeed[i] = (byte) (seed[i % seed.length] ^ (i * 7));
        }
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(signingSeed));
    }

    private static String payload(String body) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "m.room.message");
        p.putObject("content").put("msgtype", "m.text").put("body", body);
        p.put("room_id", ROOM);
        return p.toString();
    }

    private static ObjectNode roomKey(TestAccount sender, String deviceId, OwnDevice me, String sessionId,
                                      String sessionKey, Optional<ObjectNode> senderDeviceKeys) {
        ObjectNode line = JSON.objectNode().put("type", "room_key").put("sender", sender.userId())
                .put("sender_key", sender.device(deviceId).curve25519().toBase64());
        line.set("plaintext", sender.roomKeyPlaintext(deviceId, me, ROOM, sessionId, sessionKey, senderDeviceKeys));
        return line;
    }

    private static ObjectNode keysQuery(ObjectNode body) {
        ObjectNode line = JSON.objectNode().put("type", "keys_query_response");
        line.set("body", body);
        return line;
    }

    /** The event id depends on the message only: line 8 is the same event with its sender rewritten. */
    private static ObjectNode decrypt(String policy, String sender, String sessionId, String ciphertext) {
        return decrypt(policy, sender, sessionId, ciphertext, eventId(sessionId, ciphertext));
    }

    private static String eventId(String sessionId, String ciphertext) {
        return "$" + Integer.toHexString((sessionId + ciphertext).hashCode()) + ":example.org";
    }

    private static ObjectNode decrypt(String policy, String sender, String sessionId, String ciphertext,
                                      String eventId) {
        ObjectNode line = JSON.objectNode().put("type", "decrypt").put("room_id", ROOM).put("policy", policy);
        ObjectNode event = line.putObject("event");
        event.put("type", "m.room.encrypted");
        event.put("sender", sender);
        event.put("room_id", ROOM);
        event.put("event_id", eventId);
        event.put("origin_server_ts", 1_790_000_000_000L);
        ObjectNode content = event.putObject("content");
        content.put("algorithm", "m.megolm.v1.aes-sha2");
        content.put("session_id", sessionId);
        content.put("ciphertext", ciphertext);
        return line;
    }

    /**
     * Rewrites the recordings under {@code examples/} (run from the IDE, or see the README). After a
     * change, regenerate {@code quickstart.expected.jsonl} with {@code replay} and review the diff.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("quickstart.jsonl"), jsonLines(quickstart()), StandardCharsets.UTF_8);
    }

    /** One line each, every line ending in {@code \n} whatever the platform. */
    public static String jsonLines(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
