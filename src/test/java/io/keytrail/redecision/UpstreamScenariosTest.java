package io.keytrail.redecision;

import io.keytrail.EngineSpringTest;
import io.keytrail.directory.SessionView;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

import static io.keytrail.redecision.Story.curve;
import static io.keytrail.redecision.Story.msk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.SignedJson;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.TrustPolicy;

/**
 * matrix-rust-sdk's own tests (reference section 6.2-6.4) that map onto our inputs, as Given/When/Then
 * through the facade. Names cite the upstream test; where we deliberately differ, the test says so.
 */
@EngineSpringTest
class UpstreamScenariosTest {
    private static final String PHONE = "PHONE";
    private static final String LAPTOP = "LAPTOP";

    @Autowired
    Keytrail keytrail;

    private final Story story = new Story();
    private final TestAccount alice = story.user("alice", PHONE, LAPTOP);
    private final OutboundGroupSession session = story.megolm("s");

    private SessionView receive(String deviceId, Optional<ObjectNode> senderDeviceKeys) {
        return keytrail.receiveRoomKey(alice.userId(), curve(alice, deviceId),
                story.roomKey(alice, deviceId, session, senderDeviceKeys), Optional.empty());
    }

    private Object refusalCode(Optional<ObjectNode> senderDeviceKeys) {
        try {
            receive(PHONE, senderDeviceKeys);
        } catch (RefusalException e) {
            return e.code();
        }
        return "ACCEPTED";
    }

    private SenderData unverified(String deviceId) {
        return new SenderData.SenderUnverified(new KnownSenderData(alice.userId(), deviceId,
                alice.masterKey().publicKey()));
    }

    /** Device keys with one field replaced and re-signed by the device itself: a valid self-signature. */
    private ObjectNode resigned(String field, String value, String path) {
        ObjectNode json = alice.deviceKeysJson(PHONE, DeviceSigning.UNSIGNED);
        if (path == null) {
            json.put(field, value);
        } else {
            ((ObjectNode) json.get(path)).put(field, value);
        }
        String signer = field.equals("user_id") ? value : alice.userId();
        return SignedJson.sign(json, signer, "ed25519:" + PHONE, alice.device(PHONE).ed25519());
    }

    @Test
    void megolmSenderData_receiveFromUnknownDevice_isUnknownDeviceNotLegacy() { // 6.3.1
        assertThat(receive(PHONE, Optional.empty()).senderData()).isEqualTo(SenderData.unknown());
    }

    @Test
    void megolmSenderData_receiveWithCorrectDeviceKeys_isAccepted() { // 6.3.2 (a), 6.2.2
        ObjectNode keys = alice.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED);
        assertThat(receive(PHONE, Optional.of(keys)).senderData()).isEqualTo(new SenderData.DeviceInfo(keys, false));
    }

    @Test
    void megolmSenderData_receiveWithStrippedSignatures_isInvalidSenderDeviceKeys() { // 6.3.2 (b)
        assertThat(refusalCode(Optional.of(alice.deviceKeysJson(PHONE, DeviceSigning.UNSIGNED))))
                .isEqualTo(RefusalCode.INVALID_SENDER_DEVICE_KEYS);
    }

    @Test
    void megolmSenderData_receiveWithAnotherUserIdResigned_isInvalidSenderDeviceKeys() { // 6.3.2 (c)
        assertThat(refusalCode(Optional.of(resigned("user_id", "@wrong_user:example.org", null))))
                .isEqualTo(RefusalCode.INVALID_SENDER_DEVICE_KEYS);
    }

    @Test
    void megolmSenderData_receiveWithAnotherCurveKeyResigned_isInvalidSenderDeviceKeys() { // 6.3.2 (d)
        assertThat(refusalCode(Optional.of(resigned("curve25519:" + PHONE, curve(alice, LAPTOP), "keys"))))
                .isEqualTo(RefusalCode.INVALID_SENDER_DEVICE_KEYS);
    }

    @Test
    void megolmSenderData_receiveFromKnownUnsignedDevice_isDeviceInfo() { // 6.3.3, 6.2.3, 6.2.4
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        assertThat(receive(PHONE, Optional.empty()).senderData()).isEqualTo(
                new SenderData.DeviceInfo(alice.deviceKeysJson(PHONE, DeviceSigning.SELF_SIGNED_ONLY), false));
    }

    @Test
    void megolmSenderData_unknownDeviceThenKeysQueryWithoutCrossSigning_isDeviceInfo() { // 6.3.4
        receive(PHONE, Optional.empty());
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        assertThat(keytrail.session(story.room, session.sessionId()).orElseThrow().senderData())
                .isInstanceOf(SenderData.DeviceInfo.class);
    }

    @Test
    void megolmSenderData_deviceInfoThenCrossSigningBootstrapped_isSenderUnverified() { // 6.3.5
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        receive(PHONE, Optional.empty());
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        assertThat(keytrail.session(story.room, session.sessionId()).orElseThrow().senderData())
                .isEqualTo(unverified(PHONE));
    }

    @Test
    void finder_deviceFromTheStoreCrossSignedAndIdentityStored_isSenderUnverified() { // 6.2.6, 6.2.13
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        assertThat(receive(PHONE, Optional.empty()).senderData()).isEqualTo(unverified(PHONE));
    }

    @Test
    void finder_deviceFromTheEventAndIdentityStored_isSenderUnverified() { // 6.2.8
        keytrail.recordKeysQuery(new KeysQueryBody().account(alice).remove("device_keys", alice.userId()).build());
        assertThat(receive(PHONE, Optional.of(alice.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED))).senderData())
                .isEqualTo(unverified(PHONE));
    }

    @Test
    void finder_identityVerified_isSenderVerified() { // 6.2.12
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        keytrail.verifyMasterKey(alice.userId(), msk(alice));
        assertThat(receive(PHONE, Optional.empty()).senderData()).isInstanceOf(SenderData.SenderVerified.class);
    }

    @Test
    void finder_sessionSigningKeyDoesNotMatchTheDevice_isMismatchedIdentityKeys() { // 6.2.9, 6.5 fake identity keys
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        ObjectNode claimsLaptop = story.roomKey(alice, LAPTOP, session, Optional.empty());
        assertThatThrownBy(() -> keytrail.receiveRoomKey(alice.userId(), curve(alice, PHONE), claimsLaptop,
                Optional.empty()))
                .isInstanceOfSatisfying(RefusalException.class,
                        e -> assertThat(e.code()).isEqualTo(RefusalCode.MISMATCHED_IDENTITY_KEYS));
        assertThat(keytrail.session(story.room, session.sessionId())).isEmpty();
    }

    @Test
    void verificationState_twoDevicesOneSigned_areUnsignedDeviceAndUnverifiedIdentity() { // 6.4.3
        keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .device(alice, LAPTOP, DeviceSigning.SELF_SIGNED_ONLY).build());
        OutboundGroupSession fromLaptop = story.megolm("laptop");
        receive(PHONE, Optional.empty());
        keytrail.receiveRoomKey(alice.userId(), curve(alice, LAPTOP),
                story.roomKey(alice, LAPTOP, fromLaptop, Optional.empty()), Optional.empty());

        assertThat(stateOf(session)).isEqualTo("{\"Unverified\":\"UnverifiedIdentity\"}");
        assertThat(stateOf(fromLaptop)).isEqualTo("{\"Unverified\":\"UnsignedDevice\"}");
    }

    @Test
    void decryptionTrustRequirement_deviceInfoThenCrossSigned() { // 6.4.4
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        receive(PHONE, Optional.empty());
        String message = story.encrypt(session, "hello");

        assertThat(outcome(TrustPolicy.SHOW_ALL, message)).isEqualTo("shown");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED_OR_LEGACY, message)).isEqualTo("\"UnsignedDevice\"");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED, message)).isEqualTo("\"UnsignedDevice\"");

        keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(outcome(TrustPolicy.SHOW_ALL, message)).isEqualTo("shown");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED_OR_LEGACY, message)).isEqualTo("shown");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED, message)).isEqualTo("shown");
    }

    @Test
    void decryptionTrustWithIdentityChange_verificationViolationIsShownOnlyUnderShowAll() { // 6.4.5
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        keytrail.verifyMasterKey(alice.userId(), msk(alice));
        keytrail.recordKeysQuery(KeysQueryBody.of(alice.withNewIdentity("reset")));
        assertThat(receive(PHONE, Optional.empty()).senderData()).isInstanceOf(SenderData.VerificationViolation.class);
        String message = story.encrypt(session, "hello");

        assertThat(outcome(TrustPolicy.SHOW_ALL, message)).isEqualTo("shown");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED_OR_LEGACY, message)).isEqualTo("\"VerificationViolation\"");
        assertThat(outcome(TrustPolicy.CROSS_SIGNED, message)).isEqualTo("\"VerificationViolation\"");
    }

    @Test
    void spoofedSender_isMismatchedSender() { // 6.4.2
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        receive(PHONE, Optional.empty());
        String message = story.encrypt(session, "hello");
        ObjectNode spoofed = story.encryptedEvent("@charlie:example.org", session, message);

        assertThat(keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, spoofed).verificationState().toString())
                .isEqualTo("{\"Unverified\":\"MismatchedSender\"}");
        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, spoofed))
                .isInstanceOfSatisfying(RefusalException.class,
                        e -> assertThat(e.verificationLevel().toString()).isEqualTo("\"MismatchedSender\""));
    }

    private String stateOf(OutboundGroupSession s) {
        String message = story.encrypt(s, "probe");
        return keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.encryptedEvent(alice.userId(), s, message))
                .verificationState().toString();
    }

    /** "shown", or the verification level the refusal names. */
    private String outcome(TrustPolicy policy, String message) {
        try {
            keytrail.decrypt(story.room, policy, story.encryptedEvent(alice.userId(), session, message));
            return "shown";
        } catch (RefusalException e) {
            assertThat(e.code()).isEqualTo(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
            return e.verificationLevel().toString();
        }
    }
}
