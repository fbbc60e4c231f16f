package io.keytrail.trust;

import static io.keytrail.trust.TrustFixtures.olm;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.matrix.SignedJson;
import io.keytrail.trust.TrustFixtures.Device;
import io.keytrail.trust.TrustFixtures.Identity;

/**
 * The device's standing from arrival as evidence (K5, K7): a device relying on a refused SSK is
 * tampering with the refused key as evidence, and a signature checked on arrival is not checked again.
 */
class SenderDataFinderStandingTest {
    static final String ALICE = "@alice:example.org";
    static final Identity ALICE_ID = Identity.of(ALICE, 10);
    /** A second identity whose SSK the tests treat as refused for a bad MSK signature. */
    static final Identity RESET = Identity.of(ALICE, 40);
    static final Device PHONE = Device.of(ALICE, "ALICEPHONE", 20);

    private static String keyId(Identity identity) {
        return SignedJson.keyIdOf(identity.ssk().publicKey());
    }

    private static DeviceStanding reliesOnRefused() {
        ObjectNode refused = RESET.selfSigningKey().json();
        return DeviceStanding.reliesOnRefusedKey(keyId(RESET), refused, "BAD_MASTER_SIGNATURE", RESET.masterKey().json());
    }

    private static Evidence withStanding(Optional<DeviceKeys> shipped, DeviceKeys stored,
                                         Optional<OwnerIdentity> identity, DeviceStanding standing) {
        Evidence plain = olm(PHONE, shipped, List.of(stored), identity);
        return new Evidence(plain.sender(), plain.olmSenderKey(), plain.claimedEd25519(), plain.imported(),
                plain.senderDeviceKeys(), plain.senderDevices(), plain.ownerIdentity(),
                Map.of(stored.deviceId(), standing));
    }

    @Test
    void deviceRelyingOnARefusedSsk_isTamperedWithTheRefusedKeyAsEvidence() {
        DeviceStanding standing = reliesOnRefused();

        Decision decision = SenderDataFinder.decide(
                withStanding(Optional.empty(), PHONE.signedBy(RESET.ssk()), Optional.of(ALICE_ID.tofu()), standing));

        Decision.Tampered tampered = (Decision.Tampered) decision;
        assertThat(tampered.rule()).isEqualTo(Rule.TAINTED_DEVICE);
        assertThat(tampered.rule().step()).isEqualTo("K5");
        assertThat(tampered.keyId()).isEqualTo(keyId(RESET));
        assertThat(tampered.standing()).isEqualTo(standing);
        assertThat(tampered.standing().refusedSelfSigningKey()).isEqualTo(RESET.selfSigningKey().json());
        assertThat(tampered.detail()).contains("ALICEPHONE", keyId(RESET), "BAD_MASTER_SIGNATURE");
    }

    @Test
    void deviceRelyingOnARefusedSskWithNoIdentityAccepted_isStillTampered() {
        Decision decision = SenderDataFinder.decide(
                withStanding(Optional.empty(), PHONE.signedBy(RESET.ssk()), Optional.empty(), reliesOnRefused()));

        assertThat(decision.rule()).isEqualTo(Rule.TAINTED_DEVICE);
    }

    @Test
    void taintedDeviceAndACrossSignedSenderDeviceKeysCopy_failsClosed() {
        Decision decision = SenderDataFinder.decide(withStanding(Optional.of(PHONE.signedBy(ALICE_ID.ssk())),
                PHONE.signedBy(RESET.ssk()), Optional.of(ALICE_ID.tofu()), reliesOnRefused()));

        assertThat(decision).isInstanceOf(Decision.Tampered.class);
        assertThat(decision.rule()).isEqualTo(Rule.TAINTED_DEVICE);
    }

    @Test
    void importedSessionWhoseClaimedDeviceIsTainted_isNotOwnedRatherThanTampered() {
        Evidence imported = TrustFixtures.imported(PHONE, List.of(PHONE.signedBy(RESET.ssk())), Optional.empty());
        Evidence evidence = new Evidence(imported.sender(), imported.olmSenderKey(), imported.claimedEd25519(), true,
                Optional.empty(), imported.senderDevices(), Optional.empty(),
                Map.of(PHONE.deviceId(), reliesOnRefused()));

        Decision decision = SenderDataFinder.decide(evidence);

        assertThat(decision.rule()).isEqualTo(Rule.IMPORTED_NOT_OWNER);
    }

    @Test
    void taintedDeviceWhoseKeysContradictTheSession_isRejectedAsAMismatch() {
        Device impostor = new Device(ALICE, "ALICEPHONE", TrustFixtures.keyPair(66), PHONE.curve25519());

        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(), impostor.signedBy(RESET.ssk()),
                Optional.of(ALICE_ID.tofu()), reliesOnRefused()));

        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(((Decision.Rejected) decision).code()).isEqualTo(RefusalCode.MISMATCHED_IDENTITY_KEYS);
    }

    @Test
    void crossSignedOnArrival_isNotVerifiedAgain() {
        // The JSON's signature under the SSK's key id cannot verify, but the arrival check of this copy
        // against this very SSK said valid: the finder believes the one check and does not repeat it.
        DeviceKeys stored = PHONE.forgedSignatureOf(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(), stored, Optional.of(ALICE_ID.tofu()),
                DeviceStanding.checked(keyId(ALICE_ID), SignatureCheck.VALID)));

        assertThat(decision.rule()).isEqualTo(Rule.CROSS_SIGNED_UNVERIFIED);
    }

    @Test
    void badSelfSigningSignatureFoundOnArrival_isTamperedWithThatStanding() {
        DeviceStanding bad = DeviceStanding.checked(keyId(ALICE_ID), SignatureCheck.INVALID);

        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(),
                PHONE.forgedSignatureOf(ALICE_ID.ssk()), Optional.of(ALICE_ID.tofu()), bad));

        Decision.Tampered tampered = (Decision.Tampered) decision;
        assertThat(tampered.rule()).isEqualTo(Rule.CROSS_SIGNING_SIGNATURE_INVALID);
        assertThat(tampered.keyId()).isEqualTo(keyId(ALICE_ID));
        assertThat(tampered.standing()).isEqualTo(bad);
    }

    @Test
    void notCrossSignedOnArrival_isDeviceInfo() {
        DeviceKeys stored = PHONE.unsigned();

        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(), stored, Optional.of(ALICE_ID.tofu()),
                DeviceStanding.checked(keyId(ALICE_ID), SignatureCheck.ABSENT)));

        assertThat(decision.rule()).isEqualTo(Rule.NOT_CROSS_SIGNED);
    }

    @Test
    void standingRecordedAgainstAnotherSsk_isCheckedAgainstTheCurrentOneHere() {
        // The identity changed in a response that did not list devices: the device was never checked
        // against the current SSK, so the finder checks it (once).
        DeviceKeys stored = PHONE.signedBy(ALICE_ID.ssk());

        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(), stored, Optional.of(ALICE_ID.tofu()),
                DeviceStanding.checked(keyId(RESET), SignatureCheck.ABSENT)));

        assertThat(decision.rule()).isEqualTo(Rule.CROSS_SIGNED_UNVERIFIED);
    }

    @Test
    void uncheckedOnArrival_isCheckedHere() {
        Decision decision = SenderDataFinder.decide(withStanding(Optional.empty(), PHONE.forgedSignatureOf(ALICE_ID.ssk()),
                Optional.of(ALICE_ID.tofu()), DeviceStanding.unchecked()));

        assertThat(decision.rule()).isEqualTo(Rule.CROSS_SIGNING_SIGNATURE_INVALID);
        assertThat(((Decision.Tampered) decision).standing()).isEqualTo(DeviceStanding.unchecked());
    }

    @Test
    void senderDeviceKeysCopy_isCheckedHereAndTheStoredCopysStandingDoesNotApplyToIt() {
        DeviceKeys shipped = PHONE.signedBy(ALICE_ID.ssk());
        DeviceKeys stored = PHONE.unsigned();

        Decision decision = SenderDataFinder.decide(withStanding(Optional.of(shipped), stored,
                Optional.of(ALICE_ID.tofu()), DeviceStanding.checked(keyId(ALICE_ID), SignatureCheck.ABSENT)));

        assertThat(decision.rule()).isEqualTo(Rule.CROSS_SIGNED_UNVERIFIED);
        assertThat(((Decision.Decided) decision).device()).contains(shipped);
    }

    @Test
    void everyFinderRule_namesAKStepNotAnUpstreamLetter_andRulesOutsideTheFlowchartNone() {
        assertThat(Arrays.stream(Rule.values()).filter(r -> r != Rule.IMPORTED && r != Rule.MSK_VERIFIED)
                .map(Rule::step)).allMatch(step -> step.matches("K[1-8]"));
        assertThat(Rule.IMPORTED.step()).isEmpty();
        assertThat(Rule.MSK_VERIFIED.step()).isEmpty();
        assertThat(Rule.TAINTED_DEVICE.step()).isEqualTo("K5");
        assertThat(Rule.SENDER_DEVICE_KEYS_INVALID.step()).isEqualTo("K1");
        assertThat(Rule.NO_DEVICE.step()).isEqualTo("K2");
        assertThat(Rule.IMPORTED_NOT_OWNER.step()).isEqualTo("K3");
        assertThat(Rule.OWNER_CHECK_MISMATCH.step()).isEqualTo("K4");
        assertThat(Rule.NO_OWNER_IDENTITY.step()).isEqualTo("K6");
        assertThat(Rule.CROSS_SIGNING_SIGNATURE_INVALID.step()).isEqualTo("K7");
        assertThat(Rule.CROSS_SIGNED_UNVERIFIED.step()).isEqualTo("K8");
    }
}
