package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;

class KeysQueryResponseTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE", "LAPTOP");
    private static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDEV");
    private static final String A = ALICE.userId();

    private static UserKeys alice(KeysQueryBody body) {
        return KeysQueryResponse.parse(body.build()).user(A).orElseThrow();
    }

    private static KeysQueryBody valid() {
        return new KeysQueryBody().account(ALICE).account(BOB);
    }

    private static Rejection onlyRejection(UserKeys user) {
        assertThat(user.rejections()).hasSize(1);
        return user.rejections().get(0);
    }

    @Test
    void validResponse_acceptsEveryKeyAndDevice() {
        KeysQueryResponse response = KeysQueryResponse.parse(valid().failure("down.example").build());
        assertThat(response.users()).containsOnlyKeys(A, BOB.userId());
        UserKeys alice = response.user(A).orElseThrow();
        assertThat(alice.rejections()).isEmpty();
        assertThat(alice.devices()).containsOnlyKeys("LAPTOP", "PHONE");
        assertThat(alice.devices().values()).allMatch(AcceptedDevice::isCrossSigned);
        assertThat(alice.masterKey().orElseThrow().publicKey()).isEqualTo(ALICE.masterKey().publicKey());
        assertThat(response.failures()).containsOnlyKeys("down.example");
        assertThat(response.user("@nobody:example.org")).isEmpty();
    }

    @Test
    void sskNotSignedByMaster_isRejectedAsMissingSignature_andDevicesAreJudgedAgainstTheRejectedKey() {
        UserKeys alice = alice(valid().selfSigningKey(A, ALICE.selfSigningKeyJson(MasterSignature.ABSENT)));
        Rejection rejection = onlyRejection(alice);
        assertThat(rejection.reason()).isEqualTo(RejectionReason.MISSING_MASTER_SIGNATURE);
        assertThat(rejection.isTampering()).isFalse();
        assertThat(rejection.what()).isEqualTo("self_signing_key");
        assertThat(rejection.signerKeyId()).contains(SignedJson.keyIdOf(ALICE.masterKey().publicKey()));
        assertThat(alice.selfSigningKey()).isEmpty();
        AcceptedDevice phone = alice.device("PHONE").orElseThrow();
        assertThat(phone.isCrossSigned()).isFalse();
        assertThat(phone.reliesOnTamperedKey()).isFalse();
        assertThat(phone.selfSigning()).isInstanceOf(SelfSigningCheck.ByRejectedKey.class);
    }

    @Test
    void sskWithBadMasterSignature_isRejectedAsTampering_andItsDevicesRelyOnTamperedMaterial() {
        UserKeys alice = alice(valid().selfSigningKey(A, ALICE.selfSigningKeyJson(MasterSignature.BAD)));
        Rejection rejection = onlyRejection(alice);
        assertThat(rejection.reason()).isEqualTo(RejectionReason.BAD_MASTER_SIGNATURE);
        assertThat(rejection.isTampering()).isTrue();
        assertThat(rejection.keyId()).contains(SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()));
        assertThat(rejection.message()).contains("does not verify");
        assertThat(rejection.json()).isEqualTo(ALICE.selfSigningKeyJson(MasterSignature.BAD));
        assertThat(alice.tampering()).containsExactly(rejection);
        AcceptedDevice phone = alice.device("PHONE").orElseThrow();
        assertThat(phone.reliesOnTamperedKey()).isTrue();
        assertThat(phone.selfSigning()).isEqualTo(new SelfSigningCheck.ByRejectedKey(
                SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()), SignatureCheck.VALID, RejectionReason.BAD_MASTER_SIGNATURE));
    }

    @Test
    void uskWithBadMasterSignature_isRejectedAsTampering() {
        UserKeys alice = alice(valid().userSigningKey(A, ALICE.userSigningKeyJson(MasterSignature.BAD)));
        assertThat(onlyRejection(alice).reason()).isEqualTo(RejectionReason.BAD_MASTER_SIGNATURE);
        assertThat(onlyRejection(alice).what()).isEqualTo("user_signing_key");
        assertThat(alice.userSigningKey()).isEmpty();
        assertThat(alice.selfSigningKey()).isPresent();
    }

    @Test
    void deviceWithBadSskSignature_staysAcceptedButIsReportedAsTampering() {
        UserKeys alice = alice(valid().device(ALICE, "PHONE", DeviceSigning.BAD_CROSS_SIGNATURE));
        Rejection rejection = onlyRejection(alice);
        assertThat(rejection.reason()).isEqualTo(RejectionReason.BAD_SELF_SIGNING_SIGNATURE);
        assertThat(rejection.what()).isEqualTo("device:PHONE");
        assertThat(rejection.keyId()).contains("ed25519:PHONE");
        assertThat(rejection.signerKeyId()).contains(SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()));
        AcceptedDevice phone = alice.device("PHONE").orElseThrow();
        assertThat(phone.hasBadSelfSigningSignature()).isTrue();
        assertThat(phone.isCrossSigned()).isFalse();
        assertThat(alice.device("LAPTOP").orElseThrow().isCrossSigned()).isTrue();
    }

    @Test
    void deviceSignedByAnOlderSsk_isMerelyNotCrossSigned() {
        TestAccount reset = ALICE.withNewIdentity("2");
        KeysQueryBody body = new KeysQueryBody().account(reset).device(ALICE, "PHONE", DeviceSigning.CROSS_SIGNED);
        UserKeys alice = alice(body);
        assertThat(alice.rejections()).isEmpty();
        assertThat(alice.device("PHONE").orElseThrow().selfSigning())
                .isEqualTo(new SelfSigningCheck.ByAcceptedKey(SignedJson.keyIdOf(reset.selfSigningKey().publicKey()), SignatureCheck.ABSENT));
        assertThat(alice.device("LAPTOP").orElseThrow().isCrossSigned()).isTrue();
    }

    @Test
    void deviceWithoutOrWithBadSelfSignature_isRejected() {
        UserKeys unsigned = alice(valid().device(ALICE, "PHONE", DeviceSigning.UNSIGNED));
        assertThat(onlyRejection(unsigned).reason()).isEqualTo(RejectionReason.MISSING_SELF_SIGNATURE);
        assertThat(onlyRejection(unsigned).message()).isEqualTo("device:PHONE is not signed by its own key ed25519:PHONE");
        assertThat(unsigned.devices()).containsOnlyKeys("LAPTOP");
        UserKeys bad = alice(valid().device(ALICE, "PHONE", DeviceSigning.BAD_SELF_SIGNATURE));
        assertThat(onlyRejection(bad).reason()).isEqualTo(RejectionReason.BAD_SELF_SIGNATURE);
        assertThat(bad.devices()).containsOnlyKeys("LAPTOP");
    }

    @Test
    void deviceFiledUnderAnotherUserOrDeviceId_isRejected() {
        UserKeys wrongUser = alice(valid().device(A, "BOBDEV", BOB.deviceKeysJson("BOBDEV", DeviceSigning.CROSS_SIGNED)));
        assertThat(onlyRejection(wrongUser).reason()).isEqualTo(RejectionReason.USER_ID_MISMATCH);
        assertThat(onlyRejection(wrongUser).message()).contains("@bob:example.org").contains(A);
        UserKeys wrongId = alice(valid().device(A, "TABLET", ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED)));
        assertThat(onlyRejection(wrongId).reason()).isEqualTo(RejectionReason.DEVICE_ID_MISMATCH);
        assertThat(onlyRejection(wrongId).what()).isEqualTo("device:TABLET");
        assertThat(wrongId.devices()).containsOnlyKeys("LAPTOP", "PHONE");
    }

    @Test
    void malformedDevice_isRejectedWithoutHidingTheOthers() {
        ObjectNode truncated = ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED);
        ((ObjectNode) truncated.get("keys")).put("ed25519:PHONE", "tooShort");
        UserKeys alice = alice(valid().device(A, "PHONE", truncated).device(A, "GARBAGE", TextNode.valueOf("x")));
        assertThat(alice.rejections()).extracting(Rejection::reason)
                .containsExactlyInAnyOrder(RejectionReason.MALFORMED, RejectionReason.MALFORMED);
        assertThat(alice.rejections()).extracting(Rejection::what).containsExactlyInAnyOrder("device:PHONE", "device:GARBAGE");
        assertThat(alice.rejections()).allSatisfy(r -> assertThat(r.keyId()).isEmpty());
        assertThat(alice.devices()).containsOnlyKeys("LAPTOP");
    }

    @Test
    void malformedDeviceMap_isRejectedForThatUserOnly() {
        KeysQueryResponse response = KeysQueryResponse.parse(valid().devices(A, TextNode.valueOf("nope")).build());
        UserKeys alice = response.user(A).orElseThrow();
        assertThat(onlyRejection(alice).what()).isEqualTo("device_keys");
        assertThat(onlyRejection(alice).reason()).isEqualTo(RejectionReason.MALFORMED);
        assertThat(alice.masterKey()).isPresent();
        assertThat(response.user(BOB.userId()).orElseThrow().devices()).containsOnlyKeys("BOBDEV");
    }

    @Test
    void crossSigningKeysWithWrongUsage_areRejected() {
        UserKeys masterAsSsk = alice(valid().selfSigningKey(A, ALICE.masterKeyJson()));
        assertThat(onlyRejection(masterAsSsk).reason()).isEqualTo(RejectionReason.WRONG_USAGE);
        assertThat(onlyRejection(masterAsSsk).message()).contains("[master] without self_signing");
        UserKeys sskAsMaster = alice(valid().masterKey(A, ALICE.selfSigningKeyJson(MasterSignature.VALID)));
        assertThat(sskAsMaster.rejections()).extracting(Rejection::what, Rejection::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("master_key", RejectionReason.WRONG_USAGE),
                org.assertj.core.groups.Tuple.tuple("self_signing_key", RejectionReason.MISSING_MASTER_KEY),
                org.assertj.core.groups.Tuple.tuple("user_signing_key", RejectionReason.MISSING_MASTER_KEY));
        assertThat(sskAsMaster.devices().values()).allSatisfy(d ->
                assertThat(d.selfSigning()).isInstanceOf(SelfSigningCheck.ByRejectedKey.class));
    }

    @Test
    void crossSigningKeyOfAnotherUser_isRejected() {
        UserKeys alice = alice(valid().masterKey(A, BOB.masterKeyJson()));
        assertThat(alice.rejections().get(0).reason()).isEqualTo(RejectionReason.USER_ID_MISMATCH);
        assertThat(alice.rejections().get(0).what()).isEqualTo("master_key");
        assertThat(alice.masterKey()).isEmpty();
        assertThat(alice.selfSigningKey()).isEmpty();
    }

    @Test
    void malformedCrossSigningKey_isRejectedAndTheChainBelowItCannotBeChecked() {
        ObjectNode twoKeys = ALICE.masterKeyJson();
        ((ObjectNode) twoKeys.get("keys")).put("ed25519:x", "y");
        UserKeys alice = alice(valid().masterKey(A, twoKeys));
        assertThat(alice.rejections()).extracting(Rejection::reason).containsExactly(RejectionReason.MALFORMED,
                RejectionReason.MISSING_MASTER_KEY, RejectionReason.MISSING_MASTER_KEY);
        assertThat(alice.rejections().get(0).message()).contains("exactly one key");
        UserKeys badSsk = alice(valid().selfSigningKey(A, TextNode.valueOf("x")));
        assertThat(onlyRejection(badSsk).reason()).isEqualTo(RejectionReason.MALFORMED);
        assertThat(badSsk.devices().values()).allSatisfy(d ->
                assertThat(d.selfSigning()).isEqualTo(new SelfSigningCheck.NoSelfSigningKey()));
    }

    @Test
    void sskWithoutAnyMasterKey_cannotBeAccepted() {
        UserKeys alice = alice(valid().remove("master_keys", A));
        assertThat(alice.rejections()).extracting(Rejection::reason)
                .containsExactly(RejectionReason.MISSING_MASTER_KEY, RejectionReason.MISSING_MASTER_KEY);
        assertThat(alice.selfSigningKey()).isEmpty();
    }

    @Test
    void userOnlyInCrossSigningMaps_hasNoDeviceList() {
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody()
                .masterKey(A, ALICE.masterKeyJson()).build());
        UserKeys alice = response.user(A).orElseThrow();
        assertThat(alice.listsDevices()).isFalse();
        assertThat(alice.masterKey()).isPresent();
    }

    @Test
    void malformedTopLevel_failsTheWholeResponse() {
        assertThatThrownBy(() -> KeysQueryResponse.parse(MatrixJson.parse("[]")))
                .isInstanceOf(MatrixFormatException.class).hasMessageContaining("/keys/query response must be a JSON object");
        assertThatThrownBy(() -> KeysQueryResponse.parse(MatrixJson.parse("{\"device_keys\":[]}")))
                .isInstanceOf(MatrixFormatException.class).hasMessageContaining("device_keys");
        assertThatThrownBy(() -> KeysQueryResponse.parse(MatrixJson.parse("{\"failures\":1}")))
                .isInstanceOf(MatrixFormatException.class).hasMessageContaining("failures");
        assertThat(KeysQueryResponse.parse(MatrixJson.parse("{}")).users()).isEmpty();
        assertThat(KeysQueryResponse.parse(MatrixJson.parse("{\"device_keys\":null}")).users()).isEmpty();
    }

    @Test
    void resultIsImmutable() {
        KeysQueryResponse response = KeysQueryResponse.parse(valid().failure("down.example").build());
        response.failures().get("down.example");
        UserKeys alice = response.user(A).orElseThrow();
        assertThatThrownBy(() -> alice.devices().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> alice.rejections().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> response.users().clear()).isInstanceOf(UnsupportedOperationException.class);
        UserKeys bad = alice(valid().selfSigningKey(A, ALICE.selfSigningKeyJson(MasterSignature.BAD)));
        ((ObjectNode) bad.rejections().get(0).json()).put("changed", true);
        assertThat(bad.rejections().get(0).json().has("changed")).isFalse();
        assertThat(List.of(RejectionReason.values())).filteredOn(RejectionReason::isTampering)
                .containsExactly(RejectionReason.BAD_MASTER_SIGNATURE, RejectionReason.BAD_SELF_SIGNING_SIGNATURE);
    }
}
