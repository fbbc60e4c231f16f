package io.keytrail.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.ExportedRoomKey;

/**
 * The benchmark's inputs, as recordings carry them (design section 10): our own device, one
 * {@code /keys/query} response with every known user, {@code m.room_key} payloads from cross-signed
 * devices (with {@code sender_device_keys}, MSC4147) or from devices nobody announced,
 * {@code m.room.encrypted} events of ingested sessions, and a passphrase-protected key export file.
 * Deterministic (a seeded generator), and lazy: room keys are made batch by batch outside the timed
 * part, so a big run does not hold every input in memory.
 */
final class Workload {
    static final String POLICY = "CROSS_SIGNED";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int ROOMS = 20;
    private static final int DEVICES_PER_USER = 2;
    /** Sessions kept on the sending side for the decrypt phase (messages are spread over them). */
    private static final int SENDING_SESSIONS = 100;

    private final SplittableRandom random = new SplittableRandom(16);
    private final BenchAccount me = new BenchAccount("@bench-me:bench.invalid", 1);
    private final List<BenchAccount> known = new ArrayList<>();
    private final List<BenchAccount> unknown = new ArrayList<>();
    private final List<Sent> sending = new ArrayList<>();
    private long keyNumber;
    private long eventNumber;

    /** A session whose room key was generated, kept to encrypt messages for the decrypt phase. */
    private record Sent(BenchAccount sender, BenchAccount.Device device, String roomId, OutboundGroupSession session) {
    }

    /** @param devices cross-signed devices, {@value #DEVICES_PER_USER} per user */
    Workload(int devices) {
        for (int u = 0; u * DEVICES_PER_USER < devices; u++) {
            known.add(new BenchAccount("@bench-" + u + ":bench.invalid", Math.min(DEVICES_PER_USER,
                    devices - u * DEVICES_PER_USER)));
        }
        for (int u = 0; u < 10; u++) {
            unknown.add(new BenchAccount("@bench-unknown-" + u + ":bench.invalid", 1));
        }
    }

    JsonNode ownDevice() {
        BenchAccount.Device device = me.devices().get(0);
        return NODES.objectNode().put("type", "own_device").put("user_id", me.userId())
                .put("device_id", device.deviceId()).put("curve25519", device.curve25519().toBase64())
                .put("ed25519", device.ed25519().publicKey().toBase64());
    }

    JsonNode keysQueryResponse() {
        ObjectNode body = NODES.objectNode();
        known.forEach(account -> account.addTo(body));
        ObjectNode input = NODES.objectNode().put("type", "keys_query_response");
        input.set("body", body);
        return input;
    }

    /**
     * {@code count} room keys from the known devices, round robin; every {@code unknownEvery}-th comes
     * from a device no {@code /keys/query} response announced (0: none), which wakes the slow lane.
     */
    List<JsonNode> roomKeys(int count, int unknownEvery) {
        List<JsonNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keyNumber++;
            boolean fromUnknown = unknownEvery > 0 && keyNumber % unknownEvery == 0;
            List<BenchAccount> from = fromUnknown ? unknown : known;
            BenchAccount sender = from.get((int) (keyNumber % from.size()));
            BenchAccount.Device device = sender.devices().get((int) (keyNumber / from.size() % sender.devices().size()));
            String roomId = "!room" + keyNumber % ROOMS + ":bench.invalid";
            OutboundGroupSession session = newSession();
            if (!fromUnknown && sending.size() < SENDING_SESSIONS) {
                sending.add(new Sent(sender, device, roomId, session));
            }
            out.add(roomKey(sender, device, roomId, session, !fromUnknown));
        }
        return out;
    }

    /** {@code count} encrypted events, spread over the sessions kept from {@link #roomKeys}; each a new event id. */
    List<JsonNode> decrypts(int count) {
        if (sending.isEmpty()) {
            throw new IllegalStateException("no room key was generated before the messages");
        }
        List<JsonNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Sent sent = sending.get(i % sending.size());
            eventNumber++;
            ObjectNode plaintext = NODES.objectNode().put("type", "m.room.message").put("room_id", sent.roomId());
            plaintext.putObject("content").put("msgtype", "m.text").put("body", "bench message " + eventNumber);
            ObjectNode event = NODES.objectNode().put("type", "m.room.encrypted").put("sender", sent.sender().userId())
                    .put("event_id", "$bench-" + eventNumber).put("room_id", sent.roomId());
            event.putObject("content").put("algorithm", ExportedRoomKey.MEGOLM_V1)
                    .put("sender_key", sent.device().curve25519().toBase64())
                    .put("device_id", sent.device().deviceId()).put("session_id", sent.session().sessionId())
                    .put("ciphertext", sent.session().encrypt(plaintext.toString()));
            ObjectNode input = NODES.objectNode().put("type", "decrypt").put("room_id", sent.roomId())
                    .put("policy", POLICY);
            input.set("event", event);
            out.add(input);
        }
        return out;
    }

    /** An {@code import_key_export} input holding {@code count} new sessions, {@code rounds} PBKDF2 rounds. */
    JsonNode keyExport(int count, String passphrase, int rounds) {
        ArrayNode keys = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            BenchAccount sender = known.get(i % known.size());
            BenchAccount.Device device = sender.devices().get(0);
            OutboundGroupSession session = newSession();
            String exported = InboundGroupSession.fromSessionKey(session.sessionKey()).exportAtFirstKnownIndex()
                    .toBase64();
            keys.add(new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!imported" + i % ROOMS + ":bench.invalid",
                    session.sessionId(), device.curve25519(), Optional.of(device.ed25519().publicKey()), List.of(),
                    exported, false, NODES.objectNode()).toJson());
        }
        String file = KeyExportFile.encrypt(keys.toString(), passphrase, rounds, new SecureRandom());
        return NODES.objectNode().put("type", "import_key_export").put("passphrase", passphrase).put("file", file);
    }

    private ObjectNode roomKey(BenchAccount sender, BenchAccount.Device device, String roomId,
                               OutboundGroupSession session, boolean withDeviceKeys) {
        BenchAccount.Device recipient = me.devices().get(0);
        ObjectNode plaintext = NODES.objectNode().put("type", "m.room_key").put("sender", sender.userId())
                .put("recipient", me.userId());
        plaintext.putObject("recipient_keys").put("ed25519", recipient.ed25519().publicKey().toBase64());
        plaintext.putObject("keys").put("ed25519", device.ed25519().publicKey().toBase64());
        plaintext.putObject("content").put("algorithm", ExportedRoomKey.MEGOLM_V1).put("room_id", roomId)
                .put("session_id", session.sessionId()).put("session_key", session.sessionKey().toBase64())
                .put("shared_history", false);
        if (withDeviceKeys) {
            plaintext.set("sender_device_keys", device.keysJson().deepCopy());
        }
        ObjectNode input = NODES.objectNode().put("type", "room_key").put("sender", sender.userId())
                .put("sender_key", device.curve25519().toBase64());
        input.set("plaintext", plaintext);
        return input;
    }

    private OutboundGroupSession newSession() {
        byte[] ratchet = new byte[MegolmRatchet.LENGTH];
        byte[] seed = new byte[32];
        random.nextBytes(ratchet);
        random.nextBytes(seed);
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(seed));
    }
}
