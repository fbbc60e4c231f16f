package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;

/** The signature checks recorded in keys-query-rust-sdk-keydistribution.json ("expected_signature_checks"). */
class KeysQueryVectorsTest {
    private static final ObjectNode V = Vectors.load("keys-query-rust-sdk-keydistribution.json");
    private static final String DAN = "@dan:localhost";
    private static final String ME = "@me:localhost";

    private static KeysQueryResponse response(String name) {
        return KeysQueryResponse.parse(V.get(name));
    }

    /** Seeds are decoded like the upstream tools do (leniently), see SignedJsonTest. */
    static Ed25519PublicKey publicKeyOfSeed(JsonNode seed) {
        return Ed25519KeyPair.fromSeed(Base64.getDecoder().decode(seed.textValue())).publicKey();
    }

    @Test
    void danResponse_acceptsTheWholeChain_andJhpueryquwIsCrossSigned() {
        UserKeys dan = response("dan_keys_query_response").user(DAN).orElseThrow();
        assertThat(dan.rejections()).isEmpty();
        assertThat(dan.masterKey().orElseThrow().keyId()).isEqualTo("ed25519:ZzirLovLjBbJ9KkCl/w1+WevTSQdn0ngS4xl36bAuZo");
        assertThat(dan.selfSigningKey().orElseThrow().keyId()).isEqualTo("ed25519:FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA");
        assertThat(dan.userSigningKey()).isPresent();
        assertThat(dan.devices()).containsOnlyKeys("FRGNMZVOKA", "JHPUERYQUW");
        assertThat(dan.listsDevices()).isTrue();
        AcceptedDevice crossSigned = dan.device("JHPUERYQUW").orElseThrow();
        assertThat(crossSigned.isCrossSigned()).isTrue();
        assertThat(crossSigned.selfSigning()).isEqualTo(new SelfSigningCheck.ByAcceptedKey(
                "ed25519:FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA", SignatureCheck.VALID));
    }

    @Test
    void danFrgnmzvoka_isSelfSignedOnly_soNotCrossSigned() {
        AcceptedDevice device = response("dan_keys_query_response").user(DAN).orElseThrow().device("FRGNMZVOKA").orElseThrow();
        assertThat(device.keys().selfSignature()).isEqualTo(SignatureCheck.VALID);
        assertThat(device.isCrossSigned()).isFalse();
        assertThat(device.hasBadSelfSigningSignature()).isFalse();
        assertThat(((SelfSigningCheck.ByAcceptedKey) device.selfSigning()).signature()).isEqualTo(SignatureCheck.ABSENT);
    }

    @Test
    void danMasterKey_isSelfSignedAndSignedByMyUserSigningKey() {
        KeysQueryResponse me = response("me_keys_query_response");
        CrossSigningKey myUsk = me.user(ME).orElseThrow().userSigningKey().orElseThrow();
        CrossSigningKey danMsk = response("dan_keys_query_response").user(DAN).orElseThrow().masterKey().orElseThrow();
        assertThat(danMsk.signatureBy(ME, myUsk.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(danMsk.signatureBy(DAN, danMsk.publicKey())).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void meResponse_hasAValidIdentityAndNoDeviceList() {
        UserKeys me = response("me_keys_query_response").user(ME).orElseThrow();
        assertThat(me.rejections()).isEmpty();
        assertThat(me.masterKey()).isPresent();
        assertThat(me.selfSigningKey()).isPresent();
        assertThat(me.userSigningKey()).isPresent();
        assertThat(me.masterKey().get().signatureBy(ME, me.masterKey().get().publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(me.devices()).isEmpty();
        assertThat(me.listsDevices()).isFalse();
    }

    @Test
    void loggedOutResponse_keepsOnlyTheRemainingCrossSignedDevice() {
        UserKeys dan = response("dan_keys_query_response_device_loggedout").user(DAN).orElseThrow();
        assertThat(dan.rejections()).isEmpty();
        assertThat(dan.devices()).containsOnlyKeys("JHPUERYQUW");
        assertThat(dan.device("JHPUERYQUW").orElseThrow().isCrossSigned()).isTrue();
    }

    @Test
    void goodResponse_realSynapseData_bothDevicesCrossSigned() {
        KeysQueryResponse response = response("good_keys_query_response");
        UserKeys good = response.user("@good:localhost").orElseThrow();
        assertThat(good.rejections()).isEmpty();
        assertThat(good.devices()).containsOnlyKeys("JAXGBVZYLA", "ZGLCFWEPCY");
        assertThat(good.devices().values()).allMatch(AcceptedDevice::isCrossSigned);
        assertThat(good.selfSigningKey().orElseThrow().keyId()).isEqualTo("ed25519:YwQVBWn2sA5lLqp/dQsNk7fiYOuQuQhujefOPjejc+U");
        assertThat(good.userSigningKey()).isPresent();
        assertThat(response.failures()).isEmpty();
    }

    @Test
    void daveResponse_hasNoCrossSigningIdentity() {
        UserKeys dave = response("dave_keys_query_response").user("@dave:localhost").orElseThrow();
        assertThat(dave.rejections()).isEmpty();
        assertThat(dave.masterKey()).isEmpty();
        assertThat(dave.selfSigningKey()).isEmpty();
        AcceptedDevice device = dave.device("HVCXJTHMBM").orElseThrow();
        assertThat(device.selfSigning()).isEqualTo(new SelfSigningCheck.NoSelfSigningKey());
        assertThat(device.isCrossSigned()).isFalse();
    }

    @Test
    void privateKeys_deriveThePublicKeysInTheResponses() {
        JsonNode danPrivate = V.at("/private_keys/@dan:localhost");
        UserKeys dan = response("dan_keys_query_response").user(DAN).orElseThrow();
        assertThat(publicKeyOfSeed(danPrivate.get("master"))).isEqualTo(dan.masterKey().orElseThrow().publicKey());
        assertThat(publicKeyOfSeed(danPrivate.get("self_signing"))).isEqualTo(dan.selfSigningKey().orElseThrow().publicKey());
        assertThat(publicKeyOfSeed(danPrivate.get("user_signing"))).isEqualTo(dan.userSigningKey().orElseThrow().publicKey());
        assertThat(publicKeyOfSeed(danPrivate.get("device_JHPUERYQUW_ed25519")))
                .isEqualTo(dan.device("JHPUERYQUW").orElseThrow().keys().ed25519());
        assertThat(publicKeyOfSeed(danPrivate.get("device_FRGNMZVOKA_ed25519")))
                .isEqualTo(dan.device("FRGNMZVOKA").orElseThrow().keys().ed25519());
        UserKeys me = response("me_keys_query_response").user(ME).orElseThrow();
        assertThat(publicKeyOfSeed(V.at("/private_keys/@me:localhost/user_signing")))
                .isEqualTo(me.userSigningKey().orElseThrow().publicKey());
    }

    @Test
    void danPrivateSelfSigningKey_reproducesTheCrossSignatureOnJhpueryquw() {
        Ed25519KeyPair ssk = Ed25519KeyPair.fromSeed(Base64.getDecoder().decode(
                V.at("/private_keys/@dan:localhost/self_signing").textValue()));
        ObjectNode device = (ObjectNode) V.at("/dan_keys_query_response/device_keys/@dan:localhost/JHPUERYQUW");
        String keyId = SignedJson.keyIdOf(ssk.publicKey());
        ObjectNode resigned = SignedJson.sign(device, DAN, keyId, ssk);
        assertThat(resigned.at("/signatures/@dan:localhost").get(keyId)).isEqualTo(device.at("/signatures/@dan:localhost").get(keyId));
    }
}
