package io.keytrail.trust;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.trust.TrustFixtures.olm;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.matrix.DeviceKeys;
import io.keytrail.trust.TrustFixtures.Device;
import io.keytrail.trust.TrustFixtures.Identity;

/** Reference 2.5's outcome table, one test per row (sessions received over Olm, not imported). */
class SenderDataFinderTest {
    static final String ALICE = "@alice:example.org";
    static final Identity ALICE_ID = Identity.of(ALICE, 10);
    static final Device PHONE = Device.of(ALICE, "ALICEPHONE", 20);

    @Test
    void noDeviceAndNoSenderDeviceKeys_isUnknownDeviceAndStartsTheSlowLane() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(), List.of(), Optional.empty()));

        assertDecided(decision, SenderData.unknown(), Rule.NO_DEVICE);
        assertThat(((Decision.Decided) decision).device()).isEmpty();
    }

    @Test
    void storedDeviceWithAnotherEd25519_isRejectedAsMismatchedIdentityKeys() {
        Device impostor = new Device(ALICE, "ALICEPHONE", TrustFixtures.keyPair(66), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.empty(), List.of(impostor.unsigned()), Optional.of(ALICE_ID.tofu())));

        Decision.Rejected rejected = (Decision.Rejected) decision;
        assertThat(rejected.rule()).isEqualTo(Rule.OWNER_CHECK_MISMATCH);
        assertThat(rejected.code()).isEqualTo(RefusalCode.MISMATCHED_IDENTITY_KEYS);
        assertThat(rejected.detail()).contains(impostor.ed25519().publicKey().toBase64(),
                PHONE.ed25519().publicKey().toBase64(), PHONE.curve25519().toBase64(), "ALICEPHONE");
    }

    @Test
    void senderDeviceKeysWithAnotherEd25519ThanClaimed_isRejectedAsMismatchedIdentityKeys() {
        Device impostor = new Device(ALICE, "ALICEPHONE", TrustFixtures.keyPair(66), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.of(impostor.unsigned()), List.of(), Optional.empty()));

        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(decision.rule()).isEqualTo(Rule.OWNER_CHECK_MISMATCH);
    }

    @Test
    void senderDeviceKeysWithoutOwnerIdentity_isDeviceInfoWithExactlyThoseKeys() {
        DeviceKeys shipped = PHONE.signedBy(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.of(shipped), List.of(), Optional.empty()));

        assertDecided(decision, new SenderData.DeviceInfo(shipped.json(), false), Rule.NO_OWNER_IDENTITY);
        assertThat(((Decision.Decided) decision).device()).contains(shipped);
    }

    @Test
    void storedDeviceWithoutOwnerIdentity_isDeviceInfoFromTheStore() {
        DeviceKeys stored = PHONE.unsigned();

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(), List.of(stored), Optional.empty()));

        assertDecided(decision, new SenderData.DeviceInfo(stored.json(), false), Rule.NO_OWNER_IDENTITY);
    }

    @Test
    void deviceNotSignedByItsOwnersSsk_isDeviceInfo() {
        DeviceKeys stored = PHONE.unsigned();

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.empty(), List.of(stored), Optional.of(ALICE_ID.verified())));

        assertDecided(decision, new SenderData.DeviceInfo(stored.json(), false), Rule.NOT_CROSS_SIGNED);
    }

    @Test
    void identityOfAnotherUser_doesNotCrossSignTheDevice() {
        Identity bob = Identity.of("@bob:example.org", 30);
        DeviceKeys stored = PHONE.signedBy(bob.ssk());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.empty(), List.of(stored), Optional.of(bob.verified())));

        assertDecided(decision, new SenderData.DeviceInfo(stored.json(), false), Rule.NO_OWNER_IDENTITY);
    }

    // Reference 2.5's row "owner identity known, MSK has no key" cannot happen here: a CrossSigningKey
    // always holds exactly one key, and an OwnerIdentity without one is treated as no identity.
    @Test
    void identityWithoutSelfSigningKey_isTreatedAsNoIdentity() {
        OwnerIdentity mskOnly = new OwnerIdentity(ALICE, ALICE_ID.masterKey(), null, true, false);

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.empty(), List.of(PHONE.signedBy(ALICE_ID.ssk())), Optional.of(mskOnly)));

        assertThat(decision.rule()).isEqualTo(Rule.NO_OWNER_IDENTITY);
    }

    @Test
    void crossSignedByVerifiedIdentity_isSenderVerified() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(PHONE.signedBy(ALICE_ID.ssk())), Optional.of(ALICE_ID.verified())));

        assertDecided(decision, new SenderData.SenderVerified(known()), Rule.CROSS_SIGNED_VERIFIED);
    }

    @Test
    void crossSignedByUnverifiedIdentityOfPreviouslyVerifiedUser_isVerificationViolation() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(PHONE.signedBy(ALICE_ID.ssk())), Optional.of(ALICE_ID.previouslyVerified())));

        assertDecided(decision, new SenderData.VerificationViolation(known()), Rule.CROSS_SIGNED_PREVIOUSLY_VERIFIED);
    }

    @Test
    void crossSignedByNeverVerifiedIdentity_isSenderUnverified() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.empty(),
                List.of(PHONE.signedBy(ALICE_ID.ssk())), Optional.of(ALICE_ID.tofu())));

        assertDecided(decision, new SenderData.SenderUnverified(known()), Rule.CROSS_SIGNED_UNVERIFIED);
    }

    @Test
    void crossSignedSenderDeviceKeysOnly_isSenderUnverified() {
        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.of(PHONE.signedBy(ALICE_ID.ssk())),
                List.of(), Optional.of(ALICE_ID.tofu())));

        assertDecided(decision, new SenderData.SenderUnverified(known()), Rule.CROSS_SIGNED_UNVERIFIED);
    }

    @Test
    void senderDeviceKeysWithoutSelfSignature_areRejectedAsInvalid() {
        ObjectNode json = PHONE.selfSignedJson();
        json.putObject("signatures");
        DeviceKeys stripped = DeviceKeys.parse(json);

        Decision decision = SenderDataFinder.decide(olm(PHONE, Optional.of(stripped), List.of(), Optional.empty()));

        assertThat(((Decision.Rejected) decision).code()).isEqualTo(RefusalCode.INVALID_SENDER_DEVICE_KEYS);
        assertThat(decision.rule()).isEqualTo(Rule.SENDER_DEVICE_KEYS_INVALID);
    }

    @Test
    void senderDeviceKeysOfAnotherUser_areRejectedAsInvalid() {
        Device mallorys = new Device("@mallory:example.org", "ALICEPHONE", PHONE.ed25519(), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(
                olm(PHONE, Optional.of(mallorys.unsigned()), List.of(), Optional.empty()));

        assertThat(decision.rule()).isEqualTo(Rule.SENDER_DEVICE_KEYS_INVALID);
    }

    static KnownSenderData known() {
        return new KnownSenderData(ALICE, "ALICEPHONE", ALICE_ID.msk().publicKey());
    }

    static void assertDecided(Decision decision, SenderData expected, Rule rule) {
        assertThat(decision).isInstanceOf(Decision.Decided.class);
        assertThat(((Decision.Decided) decision).senderData()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo(rule);
    }
}
