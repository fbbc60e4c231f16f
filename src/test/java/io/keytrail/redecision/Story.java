package io.keytrail.redecision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * One test's world for the Spring-level intake tests: users and a room unique to the test (the
 * application context is shared), real Megolm sessions, and the Olm payloads that carry them.
 */
final class Story {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    final String room = "!room-" + tag + ":example.org";
    final OwnDevice me = TestAccount.create("@bob:example.org", "bob", "BOBDESKTOP").ownDevice("BOBDESKTOP");

    /** A user unique to this story, with deterministic keys. */
    TestAccount user(String name, String... deviceIds) {
        return TestAccount.create("@" + name + "-" + tag + ":example.org", name + "-" + tag, deviceIds);
    }

    /** A real Megolm session created by the sender, from secrets derived from {@code label}. */
    OutboundGroupSession megolm(String label) {
        byte[] state = new byte[MegolmRatchet.LENGTH];
        for (int i = 0; i < state.length; i += 32) {
            System.arraycopy(sha256(tag + label + "/ratchet/" + i), 0, state, i, 32);
        }
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, state),
                Ed25519KeyPair.fromSeed(sha256(tag + label + "/signing")));
    }

    /** The decrypted {@code m.room_key} payload {@code deviceId} of {@code sender} sends us for {@code session}. */
    ObjectNode roomKey(TestAccount sender, String deviceId, OutboundGroupSession session,
                       Optional<ObjectNode> senderDeviceKeys) {
        return sender.roomKeyPlaintext(deviceId, me, room, session.sessionId(), session.sessionKey().toBase64(),
                senderDeviceKeys);
    }

    static String curve(TestAccount account, String deviceId) {
        return account.device(deviceId).curve25519().toBase64();
    }

    static String msk(TestAccount account) {
        return account.masterKey().publicKey().toBase64();
    }

    /** An {@code m.room.encrypted} event carrying {@code ciphertext} of {@code session}, sent by {@code sender}. */
    ObjectNode encryptedEvent(String sender, OutboundGroupSession session, String ciphertext) {
        ObjectNode event = JSON.objectNode();
        event.put("type", "m.room.encrypted");
        event.put("sender", sender);
        event.put("room_id", room);
        // One message is one event: replay protection refuses the same index under another event id.
        event.put("event_id", "$" + UUID.nameUUIDFromBytes(ciphertext.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + ":example.org");
        ObjectNode content = event.putObject("content");
        content.put("algorithm", "m.megolm.v1.aes-sha2");
        content.put("session_id", session.sessionId());
        content.put("ciphertext", ciphertext);
        return event;
    }

    /** Encrypts a small text message in this story's room with {@code session}. */
    String encrypt(OutboundGroupSession session, String body) {
        ObjectNode payload = JSON.objectNode();
        payload.put("type", "m.room.message");
        payload.putObject("content").put("msgtype", "m.text").put("body", body);
        payload.put("room_id", room);
        return session.encrypt(payload.toString());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
