package io.keytrail.trust;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.trust.SenderDataFinderTest.ALICE;
import static io.keytrail.trust.SenderDataFinderTest.ALICE_ID;
import static io.keytrail.trust.SenderDataFinderTest.PHONE;
import static io.keytrail.trust.SenderDataFinderTest.assertDecided;
import static io.keytrail.trust.SenderDataFinderTest.known;
import static io.keytrail.trust.TrustFixtures.imported;
import static io.keytrail.trust.TrustFixtures.olm;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.keytrail.matrix.DeviceKeys;
import io.keytrail.trust.TrustFixtures.Device;
import io.keytrail.trust.TrustFixtures.Identity;

/** Design 9's differences from matrix-rust-sdk that live in the finder, and how candidates are chosen. */
class SenderDataFinderDifferencesTest {

    @Test
    void unknownDeviceThenKeysArrive_upgradesToSenderUnverified() {
        Decision atReception = SenderDataFinder.decide(olm(PHONE, Optional.empty(), List.of(), Optional.empty()));
        Decision afterKeysQuery = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(PHONE.signedBy(ALICE_ID.ssk())), Optional.of(ALICE_ID.tofu())));

        SenderData before = ((Decision.Decided) atReception).senderData();
        SenderData after = ((Decision.Decided) afterKeysQuery).senderData();
        assertThat(after).isEqualTo(new SenderData.SenderUnverified(known()));
        assertThat(SenderDataChange.isAllowed(before, after)).isTrue();
    }

    @Test
    void senderUnverifiedThenMskVerified_redecidesToSenderVerifiedAndTheUpgradeIsAllowed() {
        List<DeviceKeys> stored = List.of(PHONE.signedBy(ALICE_ID.ssk()));
        SenderData tofu = senderData(olm(PHONE, Optional.empty(), stored, Optional.of(ALICE_ID.tofu())));
        SenderData verified = senderData(olm(PHONE, Optional.empty(), stored, Optional.of(ALICE_ID.verified())));

        assertThat(verified).isEqualTo(new SenderData.SenderVerified(known()));
        assertThat(SenderDataChange.isAllowed(tofu, verified)).isTrue();
    }

    @Test
    void importedSessionWhoseClaimedDeviceShowsUp_isNamedButKeepsItsLegacyFlag() {
        // ADR 0018: the claimed owner's device with exactly the claimed keys is named (DeviceInfo), never
        // trusted more: legacy_session stays true (upstream writes false, reference 7.1).
        DeviceKeys device = PHONE.signedBy(ALICE_ID.ssk());
        Decision decision = SenderDataFinder.decide(imported(PHONE, List.of(device), Optional.of(ALICE_ID.verified())));

        assertThat(decision.rule()).isEqualTo(Rule.IMPORTED_CLAIMED_DEVICE);
        SenderData data = ((Decision.Decided) decision).senderData();
        assertThat(data).isInstanceOf(SenderData.DeviceInfo.class);
        assertThat(data.legacySession()).isTrue();
        VerificationState state = VerificationStates.of(data, true, ALICE).state();
        assertThat(state).isEqualTo(VerificationState.unverified(VerificationLevel.UNSIGNED_DEVICE));
        assertThat(TrustPolicy.CROSS_SIGNED_OR_LEGACY.allows(state, data.legacySession())).isTrue();
        assertThat(TrustPolicy.CROSS_SIGNED.allows(state, data.legacySession())).isFalse();
    }

    @Test
    void importedSessionWithUnknownDevice_isLegacyUnknownDevice() {
        Decision decision = SenderDataFinder.decide(imported(PHONE, List.of(), Optional.empty()));

        assertDecided(decision, SenderData.legacy(), Rule.IMPORTED_NO_DEVICE);
    }

    @Test
    void importedSessionWhoseClaimsContradictTheDevice_isNotAnAttackJustNotOwned() {
        Device other = new Device(ALICE, "ALICEPHONE", TrustFixtures.keyPair(66), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(imported(PHONE, List.of(other.unsigned()), Optional.empty()));

        assertDecided(decision, new SenderData.UnknownDevice(true, true), Rule.IMPORTED_NOT_OWNER);
    }

    @Test
    void invalidSignatureUnderTheCurrentSskKeyId_isTamperingNotDeviceInfo() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(PHONE.forgedSignatureOf(ALICE_ID.ssk())), Optional.of(ALICE_ID.verified())));

        Decision.Tampered tampered = (Decision.Tampered) decision;
        assertThat(tampered.rule()).isEqualTo(Rule.CROSS_SIGNING_SIGNATURE_INVALID);
        assertThat(tampered.keyId()).isEqualTo(ALICE_ID.selfSigningKey().keyId());
        assertThat(tampered.what()).contains("ALICEPHONE");
        assertThat(tampered.detail()).contains(ALICE, "ALICEPHONE", ALICE_ID.selfSigningKey().keyId());
    }

    @Test
    void signatureByAnOlderSsk_isDeviceInfoNotTampering() {
        Identity rotated = new Identity(ALICE, ALICE_ID.msk(), TrustFixtures.keyPair(77));
        DeviceKeys signedByOldSsk = PHONE.signedBy(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.empty(), List.of(signedByOldSsk), Optional.of(rotated.tofu())));

        assertDecided(decision, new SenderData.DeviceInfo(signedByOldSsk.json(), false), Rule.NOT_CROSS_SIGNED);
    }

    @Test
    void staleSenderDeviceKeysAndCrossSignedStoredCopy_moreTrustedStoredAnswerWins() {
        DeviceKeys stale = PHONE.unsigned();
        DeviceKeys fresh = PHONE.signedBy(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.of(stale), List.of(fresh), Optional.of(ALICE_ID.tofu())));

        assertDecided(decision, new SenderData.SenderUnverified(known()), Rule.CROSS_SIGNED_UNVERIFIED);
        assertThat(((Decision.Decided) decision).device()).contains(fresh);
    }

    @Test
    void crossSignedSenderDeviceKeysAndStaleStoredCopy_moreTrustedShippedAnswerWins() {
        DeviceKeys shipped = PHONE.signedBy(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.of(shipped), List.of(PHONE.unsigned()), Optional.of(ALICE_ID.verified())));

        assertDecided(decision, new SenderData.SenderVerified(known()), Rule.CROSS_SIGNED_VERIFIED);
        assertThat(((Decision.Decided) decision).device()).contains(shipped);
    }

    @Test
    void bothCopiesEquallyTrusted_theShippedOneIsUsed() {
        DeviceKeys shipped = PHONE.unsigned();
        DeviceKeys stored = DeviceKeys.parse(PHONE.selfSignedJson().put("org.example.note", "stored"));

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.of(shipped), List.of(stored), Optional.empty()));

        assertThat(((Decision.Decided) decision).device()).contains(shipped);
    }

    @Test
    void tamperedCopyAmongCandidates_winsOverACrossSignedOne() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.of(PHONE.signedBy(ALICE_ID.ssk())),
                List.of(PHONE.forgedSignatureOf(ALICE_ID.ssk())), Optional.of(ALICE_ID.verified())));

        assertThat(decision).isInstanceOf(Decision.Tampered.class);
    }

    @Test
    void storedCopyContradictingValidSenderDeviceKeys_isRejected() {
        Device impostor = new Device(ALICE, "ALICEPHONE", TrustFixtures.keyPair(66), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.of(PHONE.signedBy(ALICE_ID.ssk())),
                List.of(impostor.unsigned()), Optional.of(ALICE_ID.verified())));

        assertThat(((Decision.Rejected) decision).code()).isEqualTo(RefusalCode.MISMATCHED_IDENTITY_KEYS);
    }

    @Test
    void deviceOfAnotherUserWithTheSameCurveKey_isNotUsed() {
        Identity bob = Identity.of("@bob:example.org", 30);
        Device bobsCopy = new Device("@bob:example.org", "ALICEPHONE", PHONE.ed25519(), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(bobsCopy.signedBy(bob.ssk())), Optional.of(bob.verified())));

        assertDecided(decision, SenderData.unknown(), Rule.NO_DEVICE);
    }

    @Test
    void otherDevicesOfTheSender_areIgnored() {
        Device laptop = Device.of(ALICE, "ALICELAPTOP", 40);

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(laptop.signedBy(ALICE_ID.ssk())), Optional.of(ALICE_ID.verified())));

        assertDecided(decision, SenderData.unknown(), Rule.NO_DEVICE);
    }

    @Test
    void verifiedOnlyPolicy_showsOnlySenderVerified() {
        SenderData verified = senderData(olm(PHONE, Optional.empty(), List.of(PHONE.signedBy(ALICE_ID.ssk())),
                Optional.of(ALICE_ID.verified())));
        SenderData tofu = senderData(olm(PHONE, Optional.empty(), List.of(PHONE.signedBy(ALICE_ID.ssk())),
                Optional.of(ALICE_ID.tofu())));

        assertThat(TrustPolicy.VERIFIED_ONLY.allows(VerificationStates.of(verified, false, ALICE).state(), false))
                .isTrue();
        assertThat(TrustPolicy.VERIFIED_ONLY.allows(VerificationStates.of(tofu, false, ALICE).state(), false))
                .isFalse();
    }

    @Test
    void ruleNames_areStableBecauseTheAuditTrailRecordsThem() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::name)).containsExactly(
                "SENDER_DEVICE_KEYS_INVALID", "NO_DEVICE", "IMPORTED_NO_DEVICE", "IMPORTED_NOT_OWNER",
                "OWNER_CHECK_MISMATCH", "NO_OWNER_IDENTITY", "NOT_CROSS_SIGNED", "CROSS_SIGNING_SIGNATURE_INVALID",
                "CROSS_SIGNED_VERIFIED", "CROSS_SIGNED_PREVIOUSLY_VERIFIED", "CROSS_SIGNED_UNVERIFIED",
                "TAINTED_DEVICE", "IMPORTED", "MSK_VERIFIED", "IMPORTED_CLAIMED_DEVICE");
    }

    private static SenderData senderData(Evidence evidence) {
        return ((Decision.Decided) SenderDataFinder.decide(evidence)).senderData();
    }
}
