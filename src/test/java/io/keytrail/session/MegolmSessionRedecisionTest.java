package io.keytrail.session;

import io.keytrail.errors.RefusalCode;
import io.keytrail.trust.DiscardCause;
import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.ALICE_RESET;
import static io.keytrail.session.SessionFixtures.LAPTOP;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.deviceInfo;
import static io.keytrail.session.SessionFixtures.deviceOnly;
import static io.keytrail.session.SessionFixtures.ed25519;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.received;
import static io.keytrail.session.SessionFixtures.tainted;
import static io.keytrail.session.SessionFixtures.unverified;
import static io.keytrail.session.SessionFixtures.verified;
import static io.keytrail.session.SessionFixtures.violation;
import static io.keytrail.session.SessionFixtures.withIdentity;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionCommands.ApplyMasterKeyVerification;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Design section 5, re-decisions: sender data only moves up; {@code SenderUnverified} becomes
 * {@code SenderVerified} on verification of exactly the recorded MSK; a discarded session stays
 * discarded; a re-decision that proves a mismatch or tampering discards.
 */
class MegolmSessionRedecisionTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("redecision");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    private SessionReceived receivedAs(SenderData data) {
        return received(vault, megolm, 0, ALICE, PHONE, data, nothingKnown());
    }

    private RedecideSenderData redecide(DecisionEvidence evidence) {
        return new RedecideSenderData(megolm.id(), evidence, Trigger.DEVICE_KEYS_FETCHED);
    }

    @Test
    void unknownDeviceThenDeviceKeys_changesToDeviceInfoWithTheEvidence() {
        DecisionEvidence evidence = deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY);
        fixture.given(receivedAs(SenderData.unknown()))
                .when(redecide(evidence))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "UnknownDevice -> DeviceInfo",
                        e -> e.previous().equals(SenderData.unknown())
                                && e.current().equals(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY))
                                && e.rule().equals(Rule.NO_OWNER_IDENTITY) && e.trigger().equals(Trigger.DEVICE_KEYS_FETCHED)
                                && e.evidence().storedDevice().equals(evidence.storedDevice()))));
    }

    @Test
    void deviceInfoThenIdentity_changesToSenderUnverified() {
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .when(redecide(crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "DeviceInfo -> SenderUnverified",
                        e -> e.current().equals(unverified(ALICE, PHONE))
                                && e.rule().equals(Rule.CROSS_SIGNED_UNVERIFIED))));
    }

    @Test
    void deviceInfoAfterRotationOfAVerifiedIdentity_changesToVerificationViolation() {
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(redecide(withIdentity(ALICE_RESET, PHONE, DeviceSigning.CROSS_SIGNED, ALICE_RESET, false, true)))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "-> VerificationViolation",
                        e -> e.current().equals(violation(ALICE_RESET, PHONE)))));
    }

    @Test
    void redecisionToALowerRank_isIgnored() {
        fixture.given(receivedAs(unverified(ALICE, PHONE)))
                .when(redecide(deviceOnly(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void redecisionToTheSameRank_isIgnored() {
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .when(redecide(deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .expectNoEvents();
    }

    @Test
    void verificationViolationAfterWithdrawal_isRedecidedToSenderUnverified() {
        fixture.given(receivedAs(violation(ALICE_RESET, PHONE)))
                .when(new RedecideSenderData(megolm.id(),
                        withIdentity(ALICE_RESET, PHONE, DeviceSigning.CROSS_SIGNED, ALICE_RESET, false, false),
                        Trigger.VERIFICATION_WITHDRAWN))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "VerificationViolation -> SenderUnverified",
                        e -> e.previous().equals(violation(ALICE_RESET, PHONE))
                                && e.current().equals(unverified(ALICE_RESET, PHONE))
                                && e.trigger().equals(Trigger.VERIFICATION_WITHDRAWN))));
    }

    @Test
    void verificationOfTheRecordedMsk_upgradesSenderUnverifiedToSenderVerified_namingTheVerifiedKey() {
        fixture.given(receivedAs(unverified(ALICE, PHONE)))
                .when(new ApplyMasterKeyVerification(megolm.id(), ALICE.userId(), ALICE.masterKey().publicKey().toBase64()))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "SenderUnverified -> SenderVerified",
                        e -> e.previous().equals(unverified(ALICE, PHONE)) && e.current().equals(verified(ALICE, PHONE))
                                && e.trigger().equals(Trigger.VERIFY_MASTER_KEY)
                                && e.verified().equals(new VerifiedMasterKey(ALICE.userId(),
                                        ALICE.masterKey().publicKey().toBase64())))));
    }

    @Test
    void verificationOfAnotherMsk_leavesSenderUnverified() {
        fixture.given(receivedAs(unverified(ALICE, PHONE)))
                .when(new ApplyMasterKeyVerification(megolm.id(), ALICE.userId(), ALICE_RESET.masterKey().publicKey().toBase64()))
                .expectNoEvents();
    }

    @Test
    void verificationOfTheRecordedMsk_upgradesAVerificationViolation() {
        fixture.given(receivedAs(violation(ALICE_RESET, PHONE)))
                .when(new ApplyMasterKeyVerification(megolm.id(), ALICE.userId(), ALICE_RESET.masterKey().publicKey().toBase64()))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "-> SenderVerified",
                        e -> e.current().equals(verified(ALICE_RESET, PHONE)))));
    }

    @Test
    void verification_doesNotTouchADeviceInfoSession() {
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .when(new ApplyMasterKeyVerification(megolm.id(), ALICE.userId(), ALICE.masterKey().publicKey().toBase64()))
                .expectNoEvents();
    }

    @Test
    void redecisionThatProvesAnOwnerMismatch_discardsTheSession() {
        // The stored device with Alice's phone curve key now carries another ed25519 key than the session claimed.
        SessionReceived claimedLaptopKey = new SessionReceived(ROOM, megolm.sessionId(), ALICE.userId(),
                SessionFixtures.curve(ALICE, PHONE), ed25519(ALICE, LAPTOP), false, 0,
                vault.seal(megolm.exportAt(0), megolm.id()), SenderData.unknown(), Rule.NO_DEVICE, nothingKnown());
        fixture.given(claimedLaptopKey)
                .when(redecide(crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SessionDiscarded.class, "MISMATCHED_IDENTITY_KEYS",
                        e -> e.cause() == DiscardCause.PROVEN_MISMATCH && e.code() == RefusalCode.MISMATCHED_IDENTITY_KEYS && e.rule().equals(Rule.OWNER_CHECK_MISMATCH))));
    }

    @Test
    void redecisionThatFindsTampering_discardsTheSession() {
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(redecide(withIdentity(ALICE, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE, ALICE, false, false)))
                .expectEventsMatching(exactly(event(SessionDiscarded.class, "TAMPERING",
                        e -> e.cause() == DiscardCause.TAMPERING && e.rule().equals(Rule.CROSS_SIGNING_SIGNATURE_INVALID))));
    }

    @Test
    void discardedSession_ignoresRedecisions() {
        fixture.given(receivedAs(SenderData.unknown()), discarded())
                .when(redecide(crossSigned(ALICE, PHONE)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void discardedSession_ignoresVerification() {
        fixture.given(receivedAs(unverified(ALICE, PHONE)), discarded())
                .when(new ApplyMasterKeyVerification(megolm.id(), ALICE.userId(), ALICE.masterKey().publicKey().toBase64()))
                .expectNoEvents();
    }

    @Test
    void redecisionOfADeviceThatReliesOnARefusedSsk_discardsWithTheRefusedKeyAsEvidence() {
        DecisionEvidence tainted = tainted(ALICE, ALICE_RESET, PHONE);
        fixture.given(receivedAs(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(redecide(tainted))
                .expectEventsMatching(exactly(event(SessionDiscarded.class, "TAMPERING, rule TAINTED_DEVICE, refused SSK",
                        e -> e.cause() == DiscardCause.TAMPERING && e.rule() == Rule.TAINTED_DEVICE
                                && e.evidence().equals(tainted)
                                && e.evidence().storedDeviceStanding().refusedSelfSigningKey()
                                        .equals(ALICE_RESET.selfSigningKeyJson(MasterSignature.BAD))
                                && e.evidence().storedDeviceStanding().refusedFor().equals("BAD_MASTER_SIGNATURE"))));
    }

    @Test
    void redecisionOfAnAlreadyCrossSignedSessionWhoseDeviceReliesOnARefusedSsk_keepsIt() {
        fixture.given(receivedAs(unverified(ALICE, PHONE)))
                .when(redecide(tainted(ALICE, ALICE_RESET, PHONE)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void redecisionOfADiscardedSessionWhoseDeviceReliesOnARefusedSsk_recordsNothingMore() {
        fixture.given(receivedAs(SenderData.unknown()), discarded())
                .when(redecide(tainted(ALICE, ALICE_RESET, PHONE)))
                .expectNoEvents();
    }

    @Test
    void sessionOfAnotherUserWithTheSameCurveKey_isNotUpgradedByThatUsersDevice() {
        // The evidence holds a device of another user: the finder looks among the sender's own devices only.
        TestAccount mallory = TestAccount.create("@mallory:example.org", "mallory", "MALLORY");
        fixture.given(receivedAs(SenderData.unknown()))
                .when(redecide(crossSigned(mallory, "MALLORY")))
                .expectNoEvents();
    }

    private SessionDiscarded discarded() {
        return new SessionDiscarded(ROOM, megolm.sessionId(), DiscardCause.TAMPERING, null, Rule.CROSS_SIGNING_SIGNATURE_INVALID, "given", null);
    }
}
