package io.keytrail.api;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

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
 * Input objects of design section 10 for one test: a sender with a unique user id, room and Megolm
 * session, so tests can share an application context. Room keys are always addressed to {@link #ME}:
 * {@code own_device} is engine-wide, and every test that sets it sets the same device.
 */
final class Story {
    static final TestAccount ME_ACCOUNT = TestAccount.create("@me:example.org", "me", "MYDEVICE");
    static final OwnDevice ME = ME_ACCOUNT.ownDevice("MYDEVICE");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final String room;
    final TestAccount sender;
    final String deviceId = "DEVICE" + tag.toUpperCase();
    final OutboundGroupSession session;
    private final Ed25519KeyPair signingKey;
    private String sessionKey;

    Story() {
        this(randomSigningKey());
    }

    /** Another sender's session in {@code neighbour}'s room. */
    Story(Story neighbour) {
        this(randomSigningKey(), neighbour.room);
    }

    private Story(Ed25519KeyPair signingKey) {
        this(signingKey, null);
    }

    private Story(Ed25519KeyPair signingKey, String room) {
        this.room = room != null ? room : "!room-" + tag + ":example.org";
        this.sender = TestAccount.create("@sender-" + tag + ":example.org", "sender-" + tag, deviceId);
        this.signingKey = signingKey;
        this.session = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, randomRatchet()), signingKey);
        this.sessionKey = session.sessionKey().toBase64();
    }

    private static Ed25519KeyPair randomSigningKey() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed);
    }

    private static byte[] randomRatchet() {
        byte[] ratchet = new byte[MegolmRatchet.LENGTH];
        RANDOM.nextBytes(ratchet);
        return ratchet;
    }

    /** A story whose session id satisfies {@code wanted} (for ids with '/' and '+'); deterministic. */
    static Story withSessionId(Predicate<String> wanted) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            byte[] seed = ("story-" + attempt).getBytes(StandardCharsets.UTF_8);
            byte[] signing = new byte[32];
            for (int i = 0; i < signing.length; i++) {
                signing[i] = (byte) (seed[i % seed.length] + i * 13);
            }
            Ed25519KeyPair key = Ed25519KeyPair.fromSeed(signing);
            if (wanted.test(key.publicKey().toBase64())) {
                return new Story(key);
            }
        }
        throw new IllegalStateException("no session id found");
    }

    String sessionId() {
        return session.sessionId();
    }

    static ObjectNode ownDevice() {
        return JSON.objectNode().put("type", "own_device").put("user_id", ME.userId()).put("device_id", ME.deviceId())
                .put("curve25519", ME.curve25519().toBase64()).put("ed25519", ME.ed25519().toBase64());
    }

    /** The sender's room key for this story's session, without {@code sender_device_keys}. */
    ObjectNode roomKey() {
        return roomKey(ME);
    }

    ObjectNode roomKey(OwnDevice recipient) {
        ObjectNode line = JSON.objectNode().put("type", "room_key").put("sender", sender.userId())
                .put("sender_key", sender.device(deviceId).curve25519().toBase64());
        line.set("plaintext", sender.roomKeyPlaintext(deviceId, recipient, room, sessionId(), sessionKey,
                Optional.empty()));
        return line;
    }

    /** The sender's whole valid key set: devices cross-signed. */
    ObjectNode keysQuery() {
        return keysQuery(KeysQueryBody.of(sender));
    }

    /** The sender's identity with a device signature by the self-signing key that does not verify. */
    ObjectNode tamperedKeysQuery() {
        return keysQuery(new KeysQueryBody().account(sender)
                .device(sender, deviceId, DeviceSigning.BAD_CROSS_SIGNATURE).build());
    }

    private static ObjectNode keysQuery(ObjectNode body) {
        ObjectNode line = JSON.objectNode().put("type", "keys_query_response");
        line.set("body", body);
        return line;
    }

    ObjectNode verifyMasterKey() {
        return JSON.objectNode().put("type", "verify_master_key").put("user_id", sender.userId())
                .put("master_key", sender.masterKey().publicKey().toBase64());
    }

    /** Room keys from now on share the session from its current index (earlier messages stay unknown). */
    Story shareFromCurrentIndex() {
        sessionKey = session.sessionKey().toBase64();
        return this;
    }

    /** Encrypts the next message of the session: {@code {"type","content","room_id"}}. */
    String encrypt(String body) {
        return session.encrypt(payload(body, room));
    }

    static String payload(String body, String roomId) {
        ObjectNode payload = JSON.objectNode();
        payload.put("type", "m.room.message");
        payload.putObject("content").put("msgtype", "m.text").put("body", body);
        if (roomId != null) {
            payload.put("room_id", roomId);
        }
        return payload.toString();
    }

    /** Signed by the session's key, but encrypted with another ratchet: the MAC cannot match. */
    String encryptWithForeignRatchet(String body) {
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(session.messageIndex(), randomRatchet()), signingKey)
                .encrypt(payload(body, room));
    }

    ObjectNode decrypt(String policy, String ciphertext, String eventId) {
        ObjectNode line = JSON.objectNode().put("type", "decrypt").put("room_id", room).put("policy", policy);
        line.set("event", event(ciphertext, eventId));
        return line;
    }

    /** An {@code m.room.encrypted} event from the sender in this story's room. */
    ObjectNode event(String ciphertext, String eventId) {
        ObjectNode event = JSON.objectNode();
        event.put("type", "m.room.encrypted");
        event.put("sender", sender.userId());
        event.put("room_id", room);
        if (eventId != null) {
            event.put("event_id", eventId);
        }
        event.put("origin_server_ts", 1_790_000_000_000L);
        event.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", sessionId())
                .put("ciphertext", ciphertext);
        return event;
    }

    String eventId(String label) {
        return "$" + label + "-" + tag + ":example.org";
    }
}
