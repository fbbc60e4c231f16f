package io.keytrail.redecision;

import io.keytrail.EngineSpringTest;
import io.keytrail.directory.SessionView;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

import static io.keytrail.redecision.Story.curve;
import static io.keytrail.redecision.Story.msk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;

/**
 * The re-decision flows of design sections 4 and 5 through the intake beans, on a real store: keys
 * arriving, identities changing, verification given and withdrawn, tampering found later.
 */
@EngineSpringTest
class RedecisionFlowTest {
    private static final String PHONE = "PHONE";
    private static final String LAPTOP = "LAPTOP";

    @Autowired
    Keytrail keytrail;
    @Autowired
    KeysIntake keys;

    private final Story story = new Story();
    private final TestAccount alice = story.user("alice", PHONE, LAPTOP);

    private SessionView receive(TestAccount sender, String deviceId, OutboundGroupSession session) {
        return keytrail.receiveRoomKey(sender.userId(), curve(sender, deviceId),
                story.roomKey(sender, deviceId, session, Optional.empty()), Optional.empty());
    }

    private SessionView view(OutboundGroupSession session) {
        return keytrail.session(story.room, session.sessionId()).orElseThrow();
    }

    private SessionView expected(OutboundGroupSession session, SenderData data, boolean discarded) {
        return new SessionView(story.room, session.sessionId(), data, false, discarded);
    }

    private static SenderData unverified(TestAccount identity, String deviceId) {
        return new SenderData.SenderUnverified(new KnownSenderData(identity.userId(), deviceId,
                identity.masterKey().publicKey()));
    }

    private static SenderData verified(TestAccount identity, String deviceId) {
        return new SenderData.SenderVerified(new KnownSenderData(identity.userId(), deviceId,
                identity.masterKey().publicKey()));
    }

    private static SenderData violation(TestAccount identity, String deviceId) {
        return new SenderData.VerificationViolation(new KnownSenderData(identity.userId(), deviceId,
                identity.masterKey().publicKey()));
    }

    @Test
    void unknownDeviceThenKeysArrive_upgradesToSenderUnverified() {
        TestAccount carol = story.user("carol", "CAROLPHONE");
        OutboundGroupSession fromAlice = story.megolm("alice");
        OutboundGroupSession fromCarol = story.megolm("carol");
        assertThat(receive(alice, PHONE, fromAlice).senderData()).isEqualTo(SenderData.unknown());
        receive(carol, "CAROLPHONE", fromCarol);

        KeysResult result = keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(result.updated()).containsExactly(expected(fromAlice, unverified(alice, PHONE), false));
        assertThat(result.rejected()).isEmpty();
        assertThat(view(fromCarol).senderData()).isEqualTo(SenderData.unknown());
    }

    @Test
    void keysWithoutCrossSigning_upgradeUnknownDeviceToDeviceInfo() {
        OutboundGroupSession session = story.megolm("s");
        receive(alice, PHONE, session);

        KeysResult result = keytrail.recordKeysQuery(new KeysQueryBody()
                .device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());

        assertThat(result.updated()).containsExactly(expected(session,
                new SenderData.DeviceInfo(alice.deviceKeysJson(PHONE, DeviceSigning.SELF_SIGNED_ONLY), false), false));
    }

    @Test
    void identityArrivesLater_deviceInfoSessionBecomesSenderUnverified() {
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.CROSS_SIGNED).build());
        OutboundGroupSession session = story.megolm("s");
        assertThat(receive(alice, PHONE, session).senderData()).isInstanceOf(SenderData.DeviceInfo.class);

        KeysResult result = keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(result.updated()).containsExactly(expected(session, unverified(alice, PHONE), false));
    }

    @Test
    void mskRotationWhilePreviouslyVerified_isVerificationViolation_andVerifiedSessionsStayVerified() {
        keytrail.recordKeysQuery(new KeysQueryBody().account(alice).remove("device_keys", alice.userId())
                .device(alice, PHONE, DeviceSigning.CROSS_SIGNED).build());
        OutboundGroupSession early = story.megolm("early");
        receive(alice, PHONE, early);
        assertThat(keytrail.verifyMasterKey(alice.userId(), msk(alice)).updated())
                .containsExactly(expected(early, verified(alice, PHONE), false));
        OutboundGroupSession laptop = story.megolm("laptop");
        assertThat(receive(alice, LAPTOP, laptop).senderData()).isEqualTo(SenderData.unknown());

        TestAccount reset = alice.withNewIdentity("reset");
        KeysResult result = keytrail.recordKeysQuery(KeysQueryBody.of(reset));

        assertThat(result.updated()).containsExactly(expected(laptop, violation(reset, LAPTOP), false));
        assertThat(view(early).senderData()).isEqualTo(verified(alice, PHONE));
        assertThat(receive(alice, PHONE, story.megolm("late")).senderData()).isEqualTo(violation(reset, PHONE));
    }

    @Test
    void withdrawal_redecidesViolationsToSenderUnverified() {
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        keytrail.verifyMasterKey(alice.userId(), msk(alice));
        OutboundGroupSession verifiedSession = story.megolm("verified");
        receive(alice, PHONE, verifiedSession);
        TestAccount reset = alice.withNewIdentity("reset");
        keytrail.recordKeysQuery(KeysQueryBody.of(reset));
        OutboundGroupSession violating = story.megolm("violating");
        assertThat(receive(alice, LAPTOP, violating).senderData()).isEqualTo(violation(reset, LAPTOP));

        KeysResult result = keytrail.withdrawVerification(alice.userId());

        assertThat(result.updated()).containsExactly(expected(violating, unverified(reset, LAPTOP), false));
        assertThat(view(verifiedSession).senderData()).isEqualTo(verified(alice, PHONE));
    }

    @Test
    void verifyingTheRotatedKey_upgradesTheViolationToSenderVerified() {
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        keytrail.verifyMasterKey(alice.userId(), msk(alice));
        TestAccount reset = alice.withNewIdentity("reset");
        keytrail.recordKeysQuery(KeysQueryBody.of(reset));
        OutboundGroupSession violating = story.megolm("violating");
        receive(alice, PHONE, violating);

        KeysResult result = keytrail.verifyMasterKey(alice.userId(), msk(reset));

        assertThat(result.updated()).containsExactly(expected(violating, verified(reset, PHONE), false));
    }

    @Test
    void verifyingAKeyBeforeItIsKnown_appliesWhenItArrives() {
        OutboundGroupSession session = story.megolm("s");
        receive(alice, PHONE, session);
        assertThat(keytrail.verifyMasterKey(alice.userId(), msk(alice)).updated()).isEmpty();

        KeysResult result = keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(result.updated()).containsExactly(expected(session, verified(alice, PHONE), false));
    }

    @Test
    void tamperedDeviceKeysInALaterResponse_discardTheDevicesSessionsBelowSenderUnverified() {
        keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        OutboundGroupSession phone = story.megolm("phone");
        OutboundGroupSession laptop = story.megolm("laptop");
        assertThat(receive(alice, PHONE, phone).senderData()).isInstanceOf(SenderData.DeviceInfo.class);
        assertThat(receive(alice, LAPTOP, laptop).senderData()).isEqualTo(unverified(alice, LAPTOP));

        KeysResult result = keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .device(alice, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE).build());

        assertThat(result.updated()).extracting(SessionView::sessionId, SessionView::discarded)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(phone.sessionId(), true));
        assertThat(result.rejected()).extracting(KeysIntake.Refusal::what).containsExactly("device:" + PHONE);
        assertThat(view(laptop).discarded()).isFalse();
    }

    @Test
    void deviceSignedOnlyByARefusedSsk_isTainted_andItsSessionsAreDiscarded() {
        keytrail.recordKeysQuery(new KeysQueryBody().device(alice, PHONE, DeviceSigning.SELF_SIGNED_ONLY).build());
        OutboundGroupSession session = story.megolm("s");
        receive(alice, PHONE, session);

        KeysResult result = keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .selfSigningKey(alice.userId(), alice.selfSigningKeyJson(MasterSignature.BAD)).build());

        assertThat(result.updated()).extracting(SessionView::sessionId, SessionView::discarded)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(session.sessionId(), true));
        assertThat(result.rejected()).extracting(KeysIntake.Refusal::what).contains("self_signing_key");
        assertThatThrownBy(() -> receive(alice, PHONE, story.megolm("later")))
                .isInstanceOfSatisfying(RefusalException.class,
                        e -> assertThat(e.code()).isEqualTo(RefusalCode.SESSION_DISCARDED));
    }

    @Test
    void reshareOfASenderUnverifiedSessionAfterItsDeviceWasTainted_keepsTheSession() {
        // The session's trust came from the valid chain of the first response; it does not rest on the
        // refused SSK of the later one (design 3.7: only sessions that depend on it are discarded).
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        OutboundGroupSession session = story.megolm("s");
        receive(alice, PHONE, session);
        TestAccount reset = alice.withNewIdentity("reset");
        keytrail.recordKeysQuery(new KeysQueryBody().account(reset)
                .selfSigningKey(alice.userId(), reset.selfSigningKeyJson(MasterSignature.BAD)).build());

        SessionView again = receive(alice, PHONE, session);

        assertThat(again).isEqualTo(expected(session, unverified(alice, PHONE), false));
    }

    @Test
    void reshareOfASenderUnverifiedSessionAfterItsDeviceKeysWereTampered_keepsTheSession() {
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        OutboundGroupSession session = story.megolm("s");
        receive(alice, PHONE, session);
        keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .device(alice, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE).build());

        SessionView again = receive(alice, PHONE, session);

        assertThat(again).isEqualTo(expected(session, unverified(alice, PHONE), false));
    }

    @Test
    void sessionOfAnotherUserClaimingTheSameCurveKey_isNotUpgradedByTheOwnersKeys() {
        TestAccount mallory = story.user("mallory", "MALLORY");
        OutboundGroupSession spoofed = story.megolm("spoofed");
        keytrail.receiveRoomKey(mallory.userId(), curve(alice, PHONE),
                story.roomKey(mallory, "MALLORY", spoofed, Optional.empty()), Optional.empty());

        KeysResult result = keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(result.updated()).isEmpty();
        assertThat(view(spoofed).senderData()).isEqualTo(SenderData.unknown());
    }

    @Test
    void sessionOfAnotherUserClaimingTheSameCurveKey_isNotDiscardedWhenTheOwnersDeviceIsTainted() {
        TestAccount mallory = story.user("mallory", "MALLORY");
        OutboundGroupSession spoofed = story.megolm("spoofed");
        OutboundGroupSession genuine = story.megolm("genuine");
        keytrail.receiveRoomKey(mallory.userId(), curve(alice, PHONE),
                story.roomKey(mallory, "MALLORY", spoofed, Optional.empty()), Optional.empty());
        receive(alice, PHONE, genuine);

        KeysResult result = keytrail.recordKeysQuery(new KeysQueryBody().account(alice)
                .selfSigningKey(alice.userId(), alice.selfSigningKeyJson(MasterSignature.BAD)).build());

        assertThat(result.updated()).extracting(SessionView::sessionId).containsExactly(genuine.sessionId());
        assertThat(view(spoofed).discarded()).isFalse();
        assertThat(view(genuine).discarded()).isTrue();
    }

    @Test
    void outOfOrderOlderResponse_doesNotOverwriteTheNewerOne() {
        Instant newer = Instant.parse("2031-01-01T00:00:10Z");
        Instant older = newer.minusSeconds(5);
        keys.recordKeysQuery(KeysQueryBody.of(alice), newer);

        KeysResult result = keys.recordKeysQuery(KeysQueryBody.of(alice.withNewIdentity("stale")), older);

        assertThat(result.updated()).isEmpty();
        assertThat(receive(alice, PHONE, story.megolm("s")).senderData()).isEqualTo(unverified(alice, PHONE));
    }

    @Test
    void outOfOrderOlderResponse_reportsNoneOfItsRefusals() {
        Instant newer = Instant.parse("2031-01-01T00:00:10Z");
        keys.recordKeysQuery(KeysQueryBody.of(alice), newer);

        KeysResult result = keys.recordKeysQuery(new KeysQueryBody().account(alice)
                .device(alice, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE).build(), newer.minusSeconds(5));

        assertThat(result.updated()).isEmpty();
        assertThat(result.rejected()).isEmpty();
        assertThat(receive(alice, PHONE, story.megolm("t")).senderData()).isEqualTo(unverified(alice, PHONE));
    }
}
