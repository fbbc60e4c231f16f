package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Design section 11: room, user, event and device ids of up to 255 bytes go through the whole engine
 * (aggregate ids, read-model columns, the replay ledger), and one byte more is refused as
 * {@code INVALID_INPUT} at the parser edge, never a 500 from the store.
 */
@EngineSpringTest
class LongestIdsTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    InputProcessor processor;

    /** An id of exactly {@code bytes} UTF-8 bytes: {@code sigil + filler + ":example.org"}, unique per call. */
    static String id(char sigil, int bytes) {
        String tail = UUID.randomUUID().toString().substring(0, 8) + ":example.org";
        String id = sigil + "x".repeat(bytes - 1 - tail.length()) + tail;
        assertThat(id.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return id;
    }

    /** A device id of exactly {@code bytes} bytes (device ids have no sigil). */
    static String deviceId(int bytes) {
        String tag = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        return "D".repeat(bytes - tag.length()) + tag;
    }

    private record Sender(TestAccount account, String deviceId, String room, OutboundGroupSession session) {
        static Sender of(String userId, String deviceId, String room) {
            byte[] seed = new byte[32];
            RANDOM.nextBytes(seed);
            byte[] ratchet = new byte[MegolmRatchet.LENGTH];
            RANDOM.nextBytes(ratchet);
            return new Sender(TestAccount.create(userId, userId, deviceId), deviceId, room,
                    OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(seed)));
        }

        ObjectNode roomKey() {
            ObjectNode line = JSON.objectNode().put("type", "room_key").put("sender", account.userId())
                    .put("sender_key", account.device(deviceId).curve25519().toBase64());
            line.set("plaintext", account.roomKeyPlaintext(deviceId, Story.ME, room, session.sessionId(),
                    session.sessionKey().toBase64(), Optional.empty()));
            return line;
        }

        ObjectNode keysQuery() {
            ObjectNode line = JSON.objectNode().put("type", "keys_query_response");
            line.set("body", KeysQueryBody.of(account));
            return line;
        }

        ObjectNode decrypt(String eventId) {
            ObjectNode line = JSON.objectNode().put("type", "decrypt").put("room_id", room).put("policy", "CROSS_SIGNED");
            ObjectNode event = line.putObject("event");
            event.put("type", "m.room.encrypted").put("sender", account.userId()).put("room_id", room)
                    .put("event_id", eventId);
            event.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", session.sessionId())
                    .put("ciphertext", session.encrypt(Story.payload("hello at the limit", room)));
            return line;
        }
    }

    @Test
    void longestValidIds_goThroughTheWholeEngine() {
        processor.process(Story.ownDevice());
        Sender s = Sender.of(id('@', 255), deviceId(255), id('!', 255));

        JsonNode received = processor.process(s.roomKey());
        assertThat(received.get("room_id").textValue()).isEqualTo(s.room());
        assertThat(received.at("/sender_data/UnknownDevice")).isNotNull();

        JsonNode keys = processor.process(s.keysQuery());
        assertThat(keys.get("rejected")).isEmpty();
        assertThat(keys.get("updated")).singleElement()
                .satisfies(u -> assertThat(u.at("/sender_data/SenderUnverified/device_id").textValue()).isEqualTo(s.deviceId()));

        JsonNode shown = processor.process(s.decrypt(id('$', 255)));
        assertThat(shown.at("/plaintext/content/body").textValue()).isEqualTo("hello at the limit");
        assertThat(shown.get("sender_device").textValue()).isEqualTo(s.deviceId());

        JsonNode verified = processor.process(JSON.objectNode().put("type", "verify_master_key")
                .put("user_id", s.account().userId()).put("master_key", s.account().masterKey().publicKey().toBase64()));
        assertThat(verified.get("updated")).singleElement();
        processor.process(JSON.objectNode().put("type", "withdraw_verification").put("user_id", s.account().userId()));
    }

    @Test
    void roomIdOf256Bytes_isInvalidInput() {
        processor.process(Story.ownDevice());
        Sender s = Sender.of(id('@', 40), deviceId(10), id('!', 256));
        assertInvalid(s.roomKey(), "content.room_id is longer than 255 bytes");
    }

    @Test
    void senderOf256Bytes_isInvalidInput() {
        processor.process(Story.ownDevice());
        Sender s = Sender.of(id('@', 256), deviceId(10), id('!', 40));
        assertInvalid(s.roomKey(), "sender is longer than 255 bytes");
    }

    @Test
    void multiByteRoomIdOver255Bytes_isInvalidInput_althoughShorterIn16BitChars() {
        processor.process(Story.ownDevice());
        String room = "!" + "é".repeat(122) + ":example.org"; // 135 chars, 1 + 244 + 12 = 257 bytes
        Sender s = Sender.of(id('@', 40), deviceId(10), room);
        assertInvalid(s.roomKey(), "content.room_id is longer than 255 bytes");
    }

    @Test
    void eventIdOf256Bytes_isInvalidInput_beforeAnyLookup() {
        processor.process(Story.ownDevice());
        Sender s = Sender.of(id('@', 40), deviceId(10), id('!', 40));
        processor.process(s.roomKey());
        assertInvalid(s.decrypt(id('$', 256)), "event.event_id is longer than 255 bytes");
    }

    @Test
    void verificationOfAUserIdOf256Bytes_isInvalidInput() {
        Sender s = Sender.of(id('@', 256), deviceId(10), id('!', 40));
        assertInvalid(JSON.objectNode().put("type", "verify_master_key").put("user_id", s.account().userId())
                .put("master_key", s.account().masterKey().publicKey().toBase64()), "\"user_id\" is longer than 255 bytes");
        assertInvalid(JSON.objectNode().put("type", "withdraw_verification").put("user_id", s.account().userId()),
                "\"user_id\" is longer than 255 bytes");
    }

    @Test
    void ownDeviceWithADeviceIdOf256Bytes_isInvalidInput() {
        ObjectNode own = Story.ownDevice().put("device_id", deviceId(256));
        assertInvalid(own, "own_device.device_id is longer than 255 bytes");
    }

    @Test
    void unknownTypeOrFieldOf30000Characters_isRefusedWithAShortMessage() {
        assertInvalid(JSON.objectNode().put("type", "x".repeat(30_000)), "unknown or missing input type");
        assertInvalid(Story.ownDevice().put("y".repeat(30_000), 1), "unknown field");
    }

    private void assertInvalid(ObjectNode input, String message) {
        assertThatThrownBy(() -> processor.process(input)).isInstanceOfSatisfying(RefusalException.class, e -> {
            assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT);
            assertThat(e.getMessage()).contains(message).hasSizeLessThan(400);
        });
    }
}
