package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.matrix.PayloadRejectedException.Reason;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.TestAccount;

class RoomKeyPayloadTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE");
    private static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDEV");
    private static final OwnDevice BOB_DEVICE = BOB.ownDevice("BOBDEV");
    private static final Curve25519PublicKey ALICE_CURVE = ALICE.device("PHONE").curve25519();
    static final String SESSION_ID = "3LGj1F8PX332hRNW8O7y2aDeWW4Lmafgg53CZ2yRWHU";
    static final String SESSION_KEY = "AgAAAAAwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlB";

    private static ObjectNode plaintext(Consumer<ObjectNode> change) {
        ObjectNode json = ALICE.roomKeyPlaintext("PHONE", BOB_DEVICE, "!room:example.org", SESSION_ID, SESSION_KEY);
        change.accept(json);
        return json;
    }

    private static RoomKeyPayload parse(JsonNode plaintext) {
        return RoomKeyPayload.parse(plaintext, ALICE.userId(), ALICE_CURVE, Optional.of(BOB_DEVICE));
    }

    private static void assertRejected(Consumer<ObjectNode> change, Reason reason, String messagePart) {
        assertThatThrownBy(() -> parse(plaintext(change)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private static ObjectNode content(ObjectNode plaintext) {
        return (ObjectNode) plaintext.get("content");
    }

    @Test
    void fixturePlaintext_isAccepted() {
        RoomKeyPayload payload = parse(plaintext(p -> { }));
        assertThat(payload.sender()).isEqualTo(ALICE.userId());
        assertThat(payload.olmSenderKey()).isEqualTo(ALICE_CURVE);
        assertThat(payload.claimedEd25519()).isEqualTo(ALICE.device("PHONE").ed25519().publicKey());
        assertThat(payload.senderDeviceKeys().orElseThrow().deviceId()).isEqualTo("PHONE");
        assertThat(payload.sessionId()).isEqualTo(SESSION_ID);
    }

    @Test
    void toString_neverShowsTheSessionKey() {
        assertThat(parse(plaintext(p -> { })).toString()).doesNotContain(SESSION_KEY).contains(SESSION_ID);
    }

    @Test
    void plaintextAccessor_returnsACopy() {
        RoomKeyPayload payload = parse(plaintext(p -> { }));
        payload.plaintext().put("x", 1);
        assertThat(payload.plaintext().has("x")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared_history", "m.shared_history", "org.matrix.msc3061.shared_history"})
    void sharedHistory_isReadUnderAllThreeNames(String name) {
        assertThat(parse(plaintext(p -> content(p).remove("shared_history"))).sharedHistory()).isFalse();
        assertThat(parse(plaintext(p -> content(p).put(name, true))).sharedHistory()).isTrue();
        assertThat(parse(plaintext(p -> {
            content(p).remove("shared_history");
            content(p).put(name, "true");
        })).sharedHistory()).isFalse();
    }

    @Test
    void unstableSenderDeviceKeysName_isRead_andNullMeansAbsent() {
        RoomKeyPayload unstable = parse(plaintext(p -> p.set("org.matrix.msc4147.device_keys", p.remove("sender_device_keys"))));
        assertThat(unstable.senderDeviceKeys()).isPresent();
        assertThat(parse(plaintext(p -> p.putNull("sender_device_keys"))).senderDeviceKeys()).isEmpty();
        assertThat(parse(plaintext(p -> p.remove("sender_device_keys"))).senderDeviceKeys()).isEmpty();
    }

    @Test
    void bothSenderDeviceKeysNamesDisagreeing_isRejected() {
        assertRejected(p -> p.set("org.matrix.msc4147.device_keys", ALICE.deviceKeysJson("PHONE", DeviceSigning.SELF_SIGNED_ONLY)),
                Reason.INVALID_SENDER_DEVICE_KEYS, "differ");
    }

    @Test
    void withoutOwnDevice_recipientIsNotCompared() {
        ObjectNode forSomeoneElse = plaintext(p -> p.put("recipient", "@carol:example.org"));
        assertThat(RoomKeyPayload.parse(forSomeoneElse, ALICE.userId(), ALICE_CURVE, Optional.empty()).roomId())
                .isEqualTo("!room:example.org");
        assertRejected(p -> p.put("recipient", "@carol:example.org"), Reason.RECIPIENT_MISMATCH, "@carol:example.org");
    }

    @Test
    void wrongTypeOrAlgorithm_isInvalidInput() {
        assertRejected(p -> p.put("type", "m.forwarded_room_key"), Reason.INVALID_INPUT, "type is m.forwarded_room_key, expected m.room_key");
        assertRejected(p -> content(p).put("algorithm", "m.olm.v1.curve25519-aes-sha2"), Reason.INVALID_INPUT,
                "content.algorithm is m.olm.v1.curve25519-aes-sha2");
    }

    @Test
    void missingFields_areInvalidInput() {
        for (String field : new String[] {"type", "sender", "recipient", "recipient_keys", "keys", "content"}) {
            assertRejected(p -> p.remove(field), Reason.INVALID_INPUT, "Olm payload." + field + " is missing");
        }
        for (String field : new String[] {"algorithm", "room_id", "session_id", "session_key"}) {
            assertRejected(p -> content(p).remove(field), Reason.INVALID_INPUT, "content." + field + " is missing");
        }
        assertRejected(p -> p.putObject("keys"), Reason.INVALID_INPUT, "Olm payload.keys.ed25519 is missing");
        assertRejected(p -> p.putObject("recipient_keys"), Reason.INVALID_INPUT, "recipient_keys.ed25519 is missing");
    }

    @Test
    void mistypedFields_areInvalidInput() {
        assertRejected(p -> p.put("sender", 1), Reason.INVALID_INPUT, "sender must be a string");
        assertRejected(p -> p.put("content", "x"), Reason.INVALID_INPUT, "content must be a JSON object");
        assertRejected(p -> content(p).put("room_id", ""), Reason.INVALID_INPUT, "content.room_id must not be empty");
        assertRejected(p -> content(p).putArray("session_key"), Reason.INVALID_INPUT, "session_key must be a string");
        assertThatThrownBy(() -> parse(TextNode.valueOf("x")))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.code()).isEqualTo("INVALID_INPUT"));
        assertThatThrownBy(() -> parse(null)).isInstanceOf(PayloadRejectedException.class);
    }

    @Test
    void badBase64OrKeyLengths_areInvalidInput() {
        assertRejected(p -> p.putObject("keys").put("ed25519", "short"), Reason.INVALID_INPUT, "keys.ed25519");
        assertRejected(p -> content(p).put("session_id", SESSION_ID + "AAAA"), Reason.INVALID_INPUT, "content.session_id");
        assertRejected(p -> content(p).put("session_id", "not*base64"), Reason.INVALID_INPUT, "not in the standard base64 alphabet");
        assertRejected(p -> p.putObject("recipient_keys").put("ed25519", SESSION_ID.substring(1)), Reason.INVALID_INPUT,
                "recipient_keys.ed25519");
    }

    @Test
    void senderMismatch_isCheckedBeforeTheContent() {
        assertRejected(p -> {
            p.put("sender", "@mallory:example.org");
            p.remove("content");
        }, Reason.MISMATCHED_SENDER, "differs from the to-device sender @alice:example.org");
    }

    @Test
    void senderDeviceKeysProblems_rejectTheWholePayload() {
        assertRejected(p -> p.set("sender_device_keys", ALICE.deviceKeysJson("PHONE", DeviceSigning.UNSIGNED)),
                Reason.INVALID_SENDER_DEVICE_KEYS, "self-signature ed25519:PHONE is missing");
        assertRejected(p -> p.set("sender_device_keys", ALICE.deviceKeysJson("PHONE", DeviceSigning.BAD_SELF_SIGNATURE)),
                Reason.INVALID_SENDER_DEVICE_KEYS, "is invalid");
        assertRejected(p -> p.put("sender_device_keys", "x"), Reason.INVALID_SENDER_DEVICE_KEYS,
                "sender_device_keys: device keys must be a JSON object");
        assertRejected(p -> p.set("sender_device_keys", BOB.deviceKeysJson("BOBDEV", DeviceSigning.CROSS_SIGNED)),
                Reason.INVALID_SENDER_DEVICE_KEYS, "user_id @bob:example.org is not the sender");
        assertRejected(p -> p.set("sender_device_keys", ALICE.deviceKeysJson("TABLET", DeviceSigning.CROSS_SIGNED)),
                Reason.INVALID_SENDER_DEVICE_KEYS, "is not the Olm sender key");
    }

    @Test
    void notCrossSignedSenderDeviceKeys_areStillAccepted() {
        RoomKeyPayload payload = parse(plaintext(p ->
                p.set("sender_device_keys", ALICE.deviceKeysJson("PHONE", DeviceSigning.BAD_CROSS_SIGNATURE))));
        assertThat(payload.senderDeviceKeys().orElseThrow().signatureBy(ALICE.userId(), ALICE.selfSigningKey().publicKey()))
                .isEqualTo(SignatureCheck.INVALID);
    }
}
