package io.keytrail.redecision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keytrail.identity.UserKeysSnapshot;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.matrix.SignedJson;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.KeysQueryLimits;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.DeviceStanding;

/** Each device's cross-signing, checked once on arrival, becomes its recorded standing (plain objects). */
class KeysQuerySnapshotsTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE", "LAPTOP");
    private static final String SSK = SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey());

    private static UserKeysSnapshot only(KeysQueryBody body) {
        List<UserKeysSnapshot> snapshots = KeysQuerySnapshots.parse(body.build(), KeysQueryLimits.DEFAULT).snapshots();
        assertThat(snapshots).hasSize(1);
        return snapshots.get(0);
    }

    @Test
    void devicesCheckedAgainstTheAcceptedSsk_recordTheResultAndTheKeyId() {
        UserKeysSnapshot alice = only(new KeysQueryBody().account(ALICE)
                .device(ALICE, "PHONE", DeviceSigning.BAD_CROSS_SIGNATURE)
                .device(ALICE, "LAPTOP", DeviceSigning.SELF_SIGNED_ONLY));

        assertThat(alice.standings()).containsOnlyKeys("PHONE", "LAPTOP");
        assertThat(alice.standings().get("PHONE")).isEqualTo(DeviceStanding.checked(SSK, SignatureCheck.INVALID));
        assertThat(alice.standings().get("LAPTOP")).isEqualTo(DeviceStanding.checked(SSK, SignatureCheck.ABSENT));
        assertThat(alice.taintedDeviceIds()).isEmpty();
    }

    @Test
    void crossSignedDevice_isCrossSignedBySsk() {
        assertThat(only(new KeysQueryBody().account(ALICE)).standings().get("PHONE"))
                .isEqualTo(DeviceStanding.checked(SSK, SignatureCheck.VALID));
    }

    @Test
    void deviceSignedByAnSskWithABadMasterSignature_reliesOnTheRefusedKey_asReceived() {
        UserKeysSnapshot alice = only(new KeysQueryBody().account(ALICE)
                .selfSigningKey(ALICE.userId(), ALICE.selfSigningKeyJson(MasterSignature.BAD)));

        DeviceStanding phone = alice.standings().get("PHONE");
        assertThat(phone.kind()).isEqualTo(DeviceStanding.Kind.RELIES_ON_REFUSED_KEY);
        assertThat(phone.selfSigningKeyId()).isEqualTo(SSK);
        assertThat(phone.refusedSelfSigningKey()).isEqualTo(ALICE.selfSigningKeyJson(MasterSignature.BAD));
        assertThat(phone.refusedFor()).isEqualTo("BAD_MASTER_SIGNATURE");
        assertThat(phone.refusingMasterKey()).isEqualTo(ALICE.masterKeyJson());
        assertThat(alice.taintedDeviceIds()).containsExactlyInAnyOrder("PHONE", "LAPTOP");
    }

    @Test
    void deviceSignedByAnSskRefusedWithoutTampering_isUnchecked() {
        UserKeysSnapshot alice = only(new KeysQueryBody().account(ALICE)
                .selfSigningKey(ALICE.userId(), ALICE.selfSigningKeyJson(MasterSignature.ABSENT)));

        assertThat(alice.standings().get("PHONE")).isEqualTo(DeviceStanding.unchecked());
        assertThat(alice.taintedDeviceIds()).isEmpty();
    }

    @Test
    void devicesWithoutAnyCrossSigningKeys_areUnchecked() {
        UserKeysSnapshot alice = only(new KeysQueryBody().device(ALICE, "PHONE", DeviceSigning.CROSS_SIGNED));

        assertThat(alice.standings().get("PHONE")).isEqualTo(DeviceStanding.unchecked());
    }
}
