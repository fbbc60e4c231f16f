package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.matrix.PayloadRejectedException.Reason;
import io.keytrail.matrix.fixture.TestAccount;

class ForwardedRoomKeyPayloadTest {
    private static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDEV", "BOBLAPTOP");
    private static final TestAccount CAROL = TestAccount.create("@carol:example.org", "carol", "CAROLDEV");
    private static final OwnDevice ME = BOB.ownDevice("BOBDEV");
    private static final Curve25519PublicKey FORWARDER_CURVE = BOB.device("BOBLAPTOP").curve25519();
    private static final String CREATOR_CURVE = CAROL.device("CAROLDEV").curve25519().toBase64();
    private static final String CREATOR_ED = CAROL.device("CAROLDEV").ed25519().publicKey().toBase64();

    /** Bob's laptop forwards Carol's session to Bob's phone. */
    private static ObjectNode plaintext(Consumer<ObjectNode> change) {
        ObjectNode json = BOB.roomKeyPlaintext("BOBLAPTOP", ME, "!room:example.org", RoomKeyPayloadTest.SESSION_ID,
                "AQAAAABexport", Optional.empty());
        json.put("type", "m.forwarded_room_key");
        ObjectNode content = (ObjectNode) json.get("content");
        content.put("sender_key", CREATOR_CURVE);
        content.put("sender_claimed_ed25519_key", CREATOR_ED);
        content.putArray("forwarding_curve25519_key_chain").add(FORWARDER_CURVE.toBase64());
        content.put("org.matrix.msc3061.shared_history", true);
        change.accept(json);
        return json;
    }

    private static ForwardedRoomKeyPayload parse(ObjectNode plaintext) {
        return ForwardedRoomKeyPayload.parse(plaintext, BOB.userId(), FORWARDER_CURVE, Optional.of(ME));
    }

    private static void assertInvalid(Consumer<ObjectNode> change, String messagePart) {
        assertThatThrownBy(() -> parse(plaintext(change)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
                .hasMessageContaining(messagePart);
    }

    @Test
    void forwardedKey_keepsTheCreatorFieldsAsClaims() {
        ForwardedRoomKeyPayload payload = parse(plaintext(p -> { }));
        assertThat(payload.forwarder()).isEqualTo(BOB.userId());
        assertThat(payload.forwarderCurve25519()).isEqualTo(FORWARDER_CURVE);
        assertThat(payload.forwarderEd25519()).isEqualTo(BOB.device("BOBLAPTOP").ed25519().publicKey());
        assertThat(payload.claimedSenderKey().toBase64()).isEqualTo(CREATOR_CURVE);
        assertThat(payload.claimedSenderEd25519().toBase64()).isEqualTo(CREATOR_ED);
        assertThat(payload.forwardingChain()).containsExactly(FORWARDER_CURVE);
        assertThat(payload.sessionKey()).isEqualTo("AQAAAABexport");
        assertThat(payload.sharedHistory()).isTrue();
        assertThat(payload.forwarderDeviceKeys()).isEmpty();
        assertThat(payload.toString()).doesNotContain("AQAAAABexport");
    }

    @Test
    void forwarderDeviceKeys_areValidatedLikeRoomKeys() {
        ObjectNode withKeys = plaintext(p -> p.set("sender_device_keys",
                BOB.deviceKeysJson("BOBLAPTOP", io.keytrail.matrix.fixture.DeviceSigning.CROSS_SIGNED)));
        assertThat(parse(withKeys).forwarderDeviceKeys()).isPresent();
        assertThatThrownBy(() -> parse(plaintext(p -> p.set("sender_device_keys",
                CAROL.deviceKeysJson("CAROLDEV", io.keytrail.matrix.fixture.DeviceSigning.CROSS_SIGNED)))))
                .isInstanceOfSatisfying(PayloadRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SENDER_DEVICE_KEYS));
    }

    @Test
    void roomKeyType_isNotAForwardedKey() {
        assertInvalid(p -> p.put("type", "m.room_key"), "expected m.forwarded_room_key");
    }

    @Test
    void missingOrBadClaims_areInvalidInput() {
        assertInvalid(p -> ((ObjectNode) p.get("content")).remove("sender_key"), "content.sender_key is missing");
        assertInvalid(p -> ((ObjectNode) p.get("content")).remove("sender_claimed_ed25519_key"),
                "content.sender_claimed_ed25519_key is missing");
        assertInvalid(p -> ((ObjectNode) p.get("content")).remove("forwarding_curve25519_key_chain"),
                "forwarding_curve25519_key_chain is missing");
        assertInvalid(p -> ((ObjectNode) p.get("content")).put("forwarding_curve25519_key_chain", "x"), "must be an array");
        assertInvalid(p -> ((ObjectNode) p.get("content")).putArray("forwarding_curve25519_key_chain").add(1),
                "forwarding_curve25519_key_chain[0] must be a string");
        assertInvalid(p -> ((ObjectNode) p.get("content")).putArray("forwarding_curve25519_key_chain").add("abc"),
                "forwarding_curve25519_key_chain[0]");
        assertInvalid(p -> ((ObjectNode) p.get("content")).put("sender_key", "AAAA"), "Curve25519 public key must be 32 bytes");
    }

    @Test
    void emptyChain_isAccepted() {
        assertThat(parse(plaintext(p -> ((ObjectNode) p.get("content")).putArray("forwarding_curve25519_key_chain")))
                .forwardingChain()).isEmpty();
    }

    @Test
    void envelopeChecks_applyToForwardsToo() {
        assertThatThrownBy(() -> ForwardedRoomKeyPayload.parse(plaintext(p -> { }), CAROL.userId(), FORWARDER_CURVE, Optional.of(ME)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISMATCHED_SENDER));
        assertThatThrownBy(() -> ForwardedRoomKeyPayload.parse(plaintext(p -> { }), BOB.userId(), FORWARDER_CURVE,
                Optional.of(CAROL.ownDevice("CAROLDEV"))))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RECIPIENT_MISMATCH));
    }
}
