package io.keytrail.session;

import io.keytrail.trust.DiscardCause;
import io.keytrail.errors.RefusalCode;
import io.keytrail.trust.Rule;

import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.ALICE_RESET;
import static io.keytrail.session.SessionFixtures.LAPTOP;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.curve;
import static io.keytrail.session.SessionFixtures.deviceInfo;
import static io.keytrail.session.SessionFixtures.deviceOnly;
import static io.keytrail.session.SessionFixtures.ed25519;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.keys;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.receive;
import static io.keytrail.session.SessionFixtures.unverified;
import static io.keytrail.session.SessionFixtures.verified;
import static io.keytrail.session.SessionFixtures.violation;
import static io.keytrail.session.SessionFixtures.withIdentity;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.SenderData;

/** Design section 3: the decision at reception, one rule per test, on real keys and real Megolm sessions. */
class MegolmSessionTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("reception");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    @Test
    void noDeviceKnown_receivedAsUnknownDeviceNotLegacy() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(SessionReceived.class, "UnknownDevice{false,false} by rule NO_DEVICE",
                        e -> e.senderData().equals(SenderData.unknown()) && e.rule().equals(Rule.NO_DEVICE)
                                && e.senderKey().equals(curve(ALICE, PHONE)) && e.firstKnownIndex() == 0),
                        event(SenderKeysWanted.class, "the unknown device's keys (the slow lane starts on it)",
                                e -> e.userId().equals(ALICE.userId()) && curve(ALICE, PHONE).equals(e.senderKey())
                                        && !e.identityWanted())));
    }

    @Test
    void sessionKeyIsStoredSealed_neverInClear() {
        String clear = megolm.exportAt(0);
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectEventsMatching(exactly(event(SessionReceived.class, "with a sealed key that opens to the export",
                        e -> !e.sealedSessionKey().contains(clear)
                                && vault.open(e.sealedSessionKey(), megolm.id()).equals(clear)),
                        event(SenderKeysWanted.class, "no key material", e -> !e.toString().contains(clear))));
    }

    @Test
    void deviceKnownButNoOwnerIdentity_receivedAsDeviceInfo() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, deviceOnly(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .expectEventsMatching(exactly(event(SessionReceived.class, "DeviceInfo by NO_OWNER_IDENTITY",
                        e -> e.senderData().equals(deviceInfo(ALICE, PHONE, DeviceSigning.CROSS_SIGNED))
                                && e.rule().equals(Rule.NO_OWNER_IDENTITY)),
                        event(SenderKeysWanted.class, "the owner's identity", e -> e.userId().equals(ALICE.userId())
                                && e.senderKey() == null && e.identityWanted())));
    }

    @Test
    void deviceNotSignedByOwnersSsk_receivedAsDeviceInfo() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY, ALICE, false, false)))
                .expectEventsMatching(exactly(event(SessionReceived.class, "DeviceInfo by NOT_CROSS_SIGNED",
                        e -> e.senderData() instanceof SenderData.DeviceInfo && e.rule().equals(Rule.NOT_CROSS_SIGNED))));
    }

    @Test
    void deviceSignedByAnOlderSsk_isDeviceInfoNotTampering() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.CROSS_SIGNED, ALICE_RESET, false, false)))
                .expectEventsMatching(exactly(event(SessionReceived.class, "DeviceInfo by NOT_CROSS_SIGNED",
                        e -> e.senderData() instanceof SenderData.DeviceInfo && e.rule().equals(Rule.NOT_CROSS_SIGNED))));
    }

    @Test
    void crossSignedNeverVerified_receivedAsSenderUnverifiedWithTheMsk() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SessionReceived.class, "SenderUnverified by CROSS_SIGNED_UNVERIFIED",
                        e -> e.senderData().equals(unverified(ALICE, PHONE))
                                && e.rule().equals(Rule.CROSS_SIGNED_UNVERIFIED))));
    }

    @Test
    void crossSignedByVerifiedMsk_receivedAsSenderVerified() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.CROSS_SIGNED, ALICE, true, false)))
                .expectEventsMatching(exactly(event(SessionReceived.class, "SenderVerified by CROSS_SIGNED_VERIFIED",
                        e -> e.senderData().equals(verified(ALICE, PHONE)) && e.rule().equals(Rule.CROSS_SIGNED_VERIFIED))));
    }

    @Test
    void crossSignedByUnverifiedMskAfterAnEarlierOneWasVerified_receivedAsVerificationViolation() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE_RESET, PHONE, DeviceSigning.CROSS_SIGNED, ALICE_RESET, false, true)))
                .expectEventsMatching(exactly(event(SessionReceived.class,
                        "VerificationViolation by CROSS_SIGNED_PREVIOUSLY_VERIFIED",
                        e -> e.senderData().equals(violation(ALICE_RESET, PHONE))
                                && e.rule().equals(Rule.CROSS_SIGNED_PREVIOUSLY_VERIFIED))));
    }

    @Test
    void senderDeviceKeysInThePayload_decideWithoutAStoredDevice_andAreRecordedAsEvidence() {
        DecisionEvidence shipped = new DecisionEvidence(keys(ALICE, PHONE, DeviceSigning.CROSS_SIGNED), null,
                ALICE.masterKeyJson(), crossSigned(ALICE, PHONE).selfSigningKey(), false, false);
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, shipped))
                .expectEventsMatching(exactly(event(SessionReceived.class, "SenderUnverified, evidence with sender_device_keys",
                        e -> e.senderData().equals(unverified(ALICE, PHONE))
                                && keys(ALICE, PHONE, DeviceSigning.CROSS_SIGNED).equals(e.evidence().senderDeviceKeys()))));
    }

    @Test
    void staleSenderDeviceKeysAndACrossSignedStoredDevice_theMoreTrustedAnswerWins() {
        DecisionEvidence both = new DecisionEvidence(keys(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY),
                keys(ALICE, PHONE, DeviceSigning.CROSS_SIGNED), ALICE.masterKeyJson(),
                crossSigned(ALICE, PHONE).selfSigningKey(), false, false);
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, both))
                .expectEventsMatching(exactly(event(SessionReceived.class, "SenderUnverified",
                        e -> e.senderData().equals(unverified(ALICE, PHONE)))));
    }

    @Test
    void deviceWhoseEd25519DiffersFromTheClaimedOne_refusesTheRoomKeyAndStoresNothing() {
        ReceiveSession claimsLaptopKey = new ReceiveSession(megolm.id(), ROOM, megolm.sessionId(), ALICE.userId(),
                curve(ALICE, PHONE), ed25519(ALICE, LAPTOP), false, 0, megolm.exportAt(0), null,
                crossSigned(ALICE, PHONE));
        fixture.givenNoPriorActivity()
                .when(claimsLaptopKey)
                .expectException(RoomKeyRefusedException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("claims ed25519"))
                .expectNoEvents();
    }

    @Test
    void ownerCheckMismatch_carriesTheDesignErrorCode() {
        ReceiveSession claimsLaptopKey = new ReceiveSession(megolm.id(), ROOM, megolm.sessionId(), ALICE.userId(),
                curve(ALICE, PHONE), ed25519(ALICE, LAPTOP), false, 0, megolm.exportAt(0), null,
                deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY));
        fixture.givenNoPriorActivity()
                .when(claimsLaptopKey)
                .expectException(org.hamcrest.Matchers.<Object>allOf(
                        org.hamcrest.Matchers.instanceOf(RoomKeyRefusedException.class),
                        event(RoomKeyRefusedException.class, "code MISMATCHED_IDENTITY_KEYS, rule OWNER_CHECK_MISMATCH",
                                x -> x.code() == RefusalCode.MISMATCHED_IDENTITY_KEYS
                                        && x.rule().equals(Rule.OWNER_CHECK_MISMATCH))))
                .expectNoEvents();
    }

    @Test
    void senderDeviceKeysOfAnotherUser_refuseTheRoomKey() {
        TestAccount mallory = TestAccount.create("@mallory:example.org", "mallory", "MALLORY");
        DecisionEvidence foreign = new DecisionEvidence(keys(mallory, "MALLORY", DeviceSigning.SELF_SIGNED_ONLY),
                null, null, null, false, false);
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, foreign))
                .expectException(RoomKeyRefusedException.class)
                .expectNoEvents();
    }

    @Test
    void deviceWithAnInvalidSignatureUnderTheCurrentSsk_isReceivedAndDiscardedForTampering() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE, ALICE, false, false)))
                .expectEventsMatching(exactly(
                        event(SessionReceived.class, "UnknownDevice by CROSS_SIGNING_SIGNATURE_INVALID",
                                e -> e.senderData().equals(SenderData.unknown())
                                        && e.rule().equals(Rule.CROSS_SIGNING_SIGNATURE_INVALID)),
                        event(SessionDiscarded.class, "TAMPERING naming the SSK key id",
                                e -> e.cause() == DiscardCause.TAMPERING
                                        && e.detail().contains("ed25519:" + ALICE.selfSigningKey().publicKey().toBase64())
                                        && e.evidence() != null)));
    }
}
