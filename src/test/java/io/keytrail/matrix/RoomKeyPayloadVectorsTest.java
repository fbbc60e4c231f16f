package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.PayloadRejectedException.Reason;

/** derived-msc4147-room-key-plaintexts.json: valid cases parse, reject cases fail with the right code. */
class RoomKeyPayloadVectorsTest {
    private static final ObjectNode V = Vectors.load("derived-msc4147-room-key-plaintexts.json");
    /** Only user id and ed25519 are checked against a payload; the curve key here is a stand-in. */
    private static final OwnDevice ME = new OwnDevice(V.get("recipient_user_id").textValue(), "MEDEVICE",
            Curve25519PublicKey.parse("PBo2nKbink/HxgzMrBftGPogsD0d47LlIMsViTpCRn4"),
            Ed25519PublicKey.parse(V.get("recipient_device_ed25519").textValue()));
    private static final Map<String, Reason> EXPECTED_REJECTIONS = Map.of(
            "reject_keys_ed25519_mismatch", Reason.INVALID_SENDER_DEVICE_KEYS,
            "reject_curve25519_mismatch", Reason.INVALID_SENDER_DEVICE_KEYS,
            "reject_sender_mismatch", Reason.MISMATCHED_SENDER,
            "reject_bad_device_keys_signature", Reason.INVALID_SENDER_DEVICE_KEYS);

    static Stream<JsonNode> cases(String prefix) {
        return StreamSupport.stream(V.get("cases").spliterator(), false)
                .filter(c -> c.get("name").textValue().startsWith(prefix));
    }

    static Stream<JsonNode> validCases() {
        return Stream.concat(cases("valid"), cases("no_sender_device_keys"));
    }

    static Stream<JsonNode> rejectCases() {
        return cases("reject");
    }

    private static RoomKeyPayload parse(JsonNode c, Optional<OwnDevice> own) {
        return RoomKeyPayload.parse(c.get("decrypted_payload"), c.get("event_sender").textValue(),
                Curve25519PublicKey.parse(c.get("olm_sender_curve25519_key").textValue()), own);
    }

    @Test
    void vectorFile_hasThreeAcceptedAndFourRejectedCases() {
        assertThat(validCases()).hasSize(3);
        assertThat(rejectCases()).hasSize(4).allSatisfy(c ->
                assertThat(EXPECTED_REJECTIONS).containsKey(c.get("name").textValue()));
    }

    @Test
    void recipientSeed_derivesTheRecipientKey() {
        Ed25519KeyPair me = Ed25519KeyPair.fromSeed(V.get("recipient_device_ed25519_seed_ascii").textValue()
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(me.publicKey()).isEqualTo(ME.ed25519());
    }

    @ParameterizedTest
    @MethodSource("validCases")
    void validCase_parsesWithAndWithoutOwnDevice(JsonNode c) {
        for (Optional<OwnDevice> own : java.util.List.of(Optional.of(ME), Optional.<OwnDevice>empty())) {
            RoomKeyPayload payload = parse(c, own);
            JsonNode plaintext = c.get("decrypted_payload");
            assertThat(payload.sender()).isEqualTo("@dan:localhost");
            assertThat(payload.roomId()).isEqualTo("!room:example.org");
            assertThat(payload.sessionId()).isEqualTo(plaintext.at("/content/session_id").textValue());
            assertThat(payload.sessionKey()).isEqualTo(plaintext.at("/content/session_key").textValue());
            assertThat(payload.claimedEd25519().toBase64()).isEqualTo(plaintext.at("/keys/ed25519").textValue());
            assertThat(payload.sharedHistory()).isFalse();
            assertThat(payload.plaintext()).isEqualTo(plaintext);
            assertThat(payload.senderDeviceKeys().isPresent()).isEqualTo(plaintext.has("sender_device_keys"));
            payload.senderDeviceKeys().ifPresent(keys -> {
                assertThat(keys.curve25519()).isEqualTo(payload.olmSenderKey());
                assertThat(keys.ed25519()).isEqualTo(payload.claimedEd25519());
            });
        }
    }

    @Test
    void crossSignedCase_carriesDanSskSignature() {
        RoomKeyPayload payload = parse(cases("valid_cross_signed").findFirst().orElseThrow(), Optional.of(ME));
        DeviceKeys keys = payload.senderDeviceKeys().orElseThrow();
        assertThat(keys.deviceId()).isEqualTo("JHPUERYQUW");
        assertThat(keys.signatureBy("@dan:localhost", Ed25519PublicKey.parse("FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA")))
                .isEqualTo(SignatureCheck.VALID);
    }

    @ParameterizedTest
    @MethodSource("rejectCases")
    void rejectCase_failsWithTheExpectedCode(JsonNode c) {
        Reason expected = EXPECTED_REJECTIONS.get(c.get("name").textValue());
        assertThatThrownBy(() -> parse(c, Optional.of(ME)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(expected);
                    assertThat(e.code()).isEqualTo(expected.name());
                    assertThat(e.getMessage()).doesNotContain(c.at("/decrypted_payload/content/session_key").textValue());
                });
    }

    @Test
    void rejectMessages_nameTheContradiction() {
        assertThatThrownBy(() -> parse(cases("reject_keys_ed25519").findFirst().orElseThrow(), Optional.of(ME)))
                .hasMessageContaining("is not the claimed keys.ed25519");
        assertThatThrownBy(() -> parse(cases("reject_curve25519").findFirst().orElseThrow(), Optional.of(ME)))
                .hasMessageContaining("is not the Olm sender key");
        assertThatThrownBy(() -> parse(cases("reject_sender").findFirst().orElseThrow(), Optional.of(ME)))
                .hasMessageContaining("@mallory:localhost");
        assertThatThrownBy(() -> parse(cases("reject_bad_device_keys").findFirst().orElseThrow(), Optional.of(ME)))
                .hasMessageContaining("self-signature ed25519:JHPUERYQUW is invalid");
    }

    @Test
    void payloadForAnotherRecipient_isRejected() {
        JsonNode c = cases("valid_cross_signed").findFirst().orElseThrow();
        OwnDevice someoneElse = new OwnDevice("@other:localhost", "X", ME.curve25519(), ME.ed25519());
        assertThatThrownBy(() -> parse(c, Optional.of(someoneElse)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RECIPIENT_MISMATCH))
                .hasMessageContaining("@other:localhost");
        OwnDevice otherDevice = new OwnDevice(ME.userId(), "X", ME.curve25519(),
                Ed25519PublicKey.parse("+qMutlCB/eWCbI3bIskWhjYVGrRX8hF+F48sNsmg1YE"));
        assertThatThrownBy(() -> parse(c, Optional.of(otherDevice)))
                .isInstanceOfSatisfying(PayloadRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RECIPIENT_MISMATCH))
                .hasMessageContaining("recipient_keys.ed25519");
    }
}
