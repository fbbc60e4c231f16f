package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.matrix.fixture.TestDevice;

/** The finder on keys built by the matrix package's {@link TestAccount}, as the aggregates will feed it. */
class SenderDataFinderWithAccountsTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "ALICEPHONE");

    @ParameterizedTest
    @CsvSource({
        "CROSS_SIGNED,        false, CROSS_SIGNED_UNVERIFIED",
        "CROSS_SIGNED,        true,  CROSS_SIGNED_UNVERIFIED",
        "SELF_SIGNED_ONLY,    false, NOT_CROSS_SIGNED",
        "SELF_SIGNED_ONLY,    true,  NOT_CROSS_SIGNED",
        "BAD_CROSS_SIGNATURE, false, CROSS_SIGNING_SIGNATURE_INVALID",
        "BAD_CROSS_SIGNATURE, true,  CROSS_SIGNING_SIGNATURE_INVALID",
        "BAD_SELF_SIGNATURE,  true,  SENDER_DEVICE_KEYS_INVALID",
        "UNSIGNED,            true,  SENDER_DEVICE_KEYS_INVALID"
    })
    void deviceSignedAs_decidesByTheRule(DeviceSigning signing, boolean shippedInPayload, Rule expected) {
        DeviceKeys keys = DeviceKeys.parse(ALICE.deviceKeysJson("ALICEPHONE", signing));

        Decision decision = SenderDataFinder.decide(evidence(ALICE, keys, shippedInPayload));

        assertThat(decision.rule()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void identityResetAfterTheDeviceWasSigned_isDeviceInfoNotTampering(boolean shippedInPayload) {
        DeviceKeys signedByOldSsk = DeviceKeys.parse(ALICE.deviceKeysJson("ALICEPHONE", DeviceSigning.CROSS_SIGNED));

        Decision decision = SenderDataFinder.decide(evidence(ALICE.withNewIdentity("reset"), signedByOldSsk,
                shippedInPayload));

        assertThat(decision.rule()).isEqualTo(Rule.NOT_CROSS_SIGNED);
        assertThat(((Decision.Decided) decision).senderData()).isInstanceOf(SenderData.DeviceInfo.class);
    }

    private static Evidence evidence(TestAccount owner, DeviceKeys keys, boolean shippedInPayload) {
        TestDevice device = ALICE.device("ALICEPHONE");
        OwnerIdentity identity = new OwnerIdentity(owner.userId(), CrossSigningKey.parse(owner.masterKeyJson()),
                CrossSigningKey.parse(owner.selfSigningKeyJson(MasterSignature.VALID)), false, false);
        return new Evidence(owner.userId(), device.curve25519(), device.ed25519().publicKey(), false,
                shippedInPayload ? Optional.of(keys) : Optional.empty(), shippedInPayload ? List.of() : List.of(keys),
                Optional.of(identity));
    }
}
