package io.keytrail.imports;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.axonframework.eventsourcing.eventstore.EventStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionRef;

/** Real Megolm sessions, export entries and inputs for the import tests; every id is unique per call. */
public final class ImportFixtures {
    public static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final SecureRandom RANDOM = new SecureRandom();

    private ImportFixtures() {
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String room() {
        return "!" + unique("room") + ":example.org";
    }

    /** A user with one device, "DEV", and a valid cross-signing identity (used only when published). */
    public static TestAccount account(String name) {
        return TestAccount.create("@" + unique(name) + ":example.org", unique(name), "DEV");
    }

    /** A Megolm session that sent {@code messages} messages; keys and exports at any of those indices. */
    public static final class Sender {
        public final String roomId;
        private final InboundGroupSession atZero;
        private final List<String> signedKeys = new ArrayList<>();
        private final List<String> ciphertexts = new ArrayList<>();

        final Ed25519KeyPair signing;

        public Sender(String roomId, int messages) {
            this(roomId, messages, Ed25519KeyPair.generate(RANDOM));
        }

        /** {@code signing} lets two senders share a session id with unrelated ratchets (an unconnected copy). */
        Sender(String roomId, int messages, Ed25519KeyPair signing) {
            this.roomId = roomId;
            this.signing = signing;
            byte[] ratchet = new byte[MegolmRatchet.LENGTH];
            RANDOM.nextBytes(ratchet);
            OutboundGroupSession out = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), signing);
            atZero = InboundGroupSession.fromSessionKey(out.sessionKey());
            for (int i = 0; i < messages; i++) {
                signedKeys.add(out.sessionKey().toBase64());
                ciphertexts.add(out.encrypt(payload(roomId, "message " + i)));
            }
        }

        /** Same room and session id, another ratchet: not the same session. */
        Sender impostor() {
            return new Sender(roomId, signedKeys.size(), signing);
        }

        public String sessionId() {
            return atZero.sessionId();
        }

        /** The signed v2 key an {@code m.room_key} carries, at {@code index}. */
        public String signedKeyAt(int index) {
            return signedKeys.get(index);
        }

        /** The unsigned v1 export at {@code index}. */
        public String exportAt(int index) {
            return atZero.exportAt(index).toBase64();
        }

        public String ciphertext(int index) {
            return ciphertexts.get(index);
        }

        public String aggregateId() {
            return new SessionRef(roomId, sessionId()).aggregateId();
        }
    }

    public static String payload(String roomId, String body) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "m.room.message");
        p.putObject("content").put("msgtype", "m.text").put("body", body);
        p.put("room_id", roomId);
        return p.toString();
    }

    /** One element of a key export: {@code ExportedSessionData}. */
    public static ObjectNode exportEntry(Sender s, int index, String senderKey, String claimedEd25519) {
        ObjectNode e = JSON.objectNode();
        e.put("algorithm", "m.megolm.v1.aes-sha2");
        e.put("room_id", s.roomId);
        e.put("session_id", s.sessionId());
        e.put("sender_key", senderKey);
        ObjectNode claimed = e.putObject("sender_claimed_keys");
        if (claimedEd25519 != null) {
            claimed.put("ed25519", claimedEd25519);
        }
        e.putArray("forwarding_curve25519_key_chain");
        e.put("session_key", s.exportAt(index));
        return e;
    }

    /** An export entry whose claimed creator is {@code account}'s device "DEV". */
    public static ObjectNode exportEntry(Sender s, int index, TestAccount account) {
        return exportEntry(s, index, account.device("DEV").curve25519().toBase64(),
                account.device("DEV").ed25519().publicKey().toBase64());
    }

    public static ObjectNode importRoomKeys(JsonNode... entries) {
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        ArrayNode keys = input.putArray("keys");
        for (JsonNode entry : entries) {
            keys.add(entry);
        }
        return input;
    }

    public static ObjectNode importKeyExport(String passphrase, String file) {
        return JSON.objectNode().put("type", "import_key_export").put("passphrase", passphrase).put("file", file);
    }

    public static ObjectNode importBackup(String decryptionKey, JsonNode body) {
        ObjectNode input = JSON.objectNode().put("type", "import_backup").put("decryption_key", decryptionKey);
        input.set("body", body);
        return input;
    }

    /** An {@code m.room_key} input from {@code account}'s device "DEV", at {@code index}. */
    public static ObjectNode roomKey(TestAccount account, OwnDevice me, Sender s, int index,
                              Optional<ObjectNode> senderDeviceKeys) {
        ObjectNode line = JSON.objectNode().put("type", "room_key").put("sender", account.userId())
                .put("sender_key", account.device("DEV").curve25519().toBase64());
        line.set("plaintext", account.roomKeyPlaintext("DEV", me, s.roomId, s.sessionId(), s.signedKeyAt(index),
                senderDeviceKeys));
        return line;
    }

    public static ObjectNode decrypt(String policy, String sender, Sender s, int index) {
        return decrypt(policy, sender, s.roomId, s.sessionId(), s.ciphertext(index));
    }

    public static ObjectNode decrypt(String policy, String sender, String roomId, String sessionId, String ciphertext) {
        ObjectNode line = JSON.objectNode().put("type", "decrypt").put("room_id", roomId).put("policy", policy);
        ObjectNode event = line.putObject("event");
        event.put("type", "m.room.encrypted");
        event.put("sender", sender);
        event.put("room_id", roomId);
        // One message is one event: replay protection refuses the same index under another event id.
        event.put("event_id", "$" + java.util.UUID.nameUUIDFromBytes(ciphertext.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + ":example.org");
        event.put("origin_server_ts", 1_790_000_000_000L);
        ObjectNode content = event.putObject("content");
        content.put("algorithm", "m.megolm.v1.aes-sha2");
        content.put("session_id", sessionId);
        content.put("ciphertext", ciphertext);
        return line;
    }

    /** Simple names of the events of one session aggregate, in order. */
    public static List<String> eventsOf(EventStore store, String aggregateId) {
        List<String> names = new ArrayList<>();
        store.readEvents(aggregateId).asStream().forEach(m -> names.add(m.getPayloadType().getSimpleName()));
        return names;
    }

    public static List<Object> payloadsOf(EventStore store, String aggregateId) {
        List<Object> payloads = new ArrayList<>();
        store.readEvents(aggregateId).asStream().forEach(m -> payloads.add(m.getPayload()));
        return payloads;
    }
}
