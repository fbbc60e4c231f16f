package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.UnpaddedBase64;

/** jssdk-crypto-test-data.json and derived-jssdk-alice-cross-signed-device.json: what they say must verify. */
class JsSdkVectorsTest {
    private static final JsonNode DATA = Vectors.load("jssdk-crypto-test-data.json").get("data");
    private static final ObjectNode DERIVED = Vectors.load("derived-jssdk-alice-cross-signed-device.json");
    private static final String ALICE = "@alice:localhost";
    private static final String BOB = "@bob:xyz";

    private static ObjectNode keysQuery(JsonNode crossSigning, String userId, JsonNode device) {
        ObjectNode body = ((ObjectNode) crossSigning).deepCopy();
        ObjectNode devices = body.putObject("device_keys").putObject(userId);
        devices.set(device.get("device_id").textValue(), device.deepCopy());
        return body;
    }

    private static Ed25519PublicKey key(String field) {
        return Ed25519PublicKey.parse(DATA.get(field).textValue());
    }

    @Test
    void aliceResponse_acceptsIdentityAndDevice_butTheDeviceIsNotCrossSigned() {
        UserKeys alice = KeysQueryResponse.parse(keysQuery(DATA.get("SIGNED_CROSS_SIGNING_KEYS_DATA"), ALICE,
                DATA.get("SIGNED_TEST_DEVICE_DATA"))).user(ALICE).orElseThrow();
        assertThat(alice.rejections()).isEmpty();
        assertThat(alice.masterKey().orElseThrow().publicKey()).isEqualTo(key("MASTER_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
        assertThat(alice.selfSigningKey().orElseThrow().publicKey()).isEqualTo(key("SELF_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
        assertThat(alice.userSigningKey().orElseThrow().publicKey()).isEqualTo(key("USER_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
        AcceptedDevice device = alice.device("test_device").orElseThrow();
        assertThat(device.keys().ed25519()).isEqualTo(key("TEST_DEVICE_PUBLIC_ED25519_KEY_BASE64"));
        assertThat(device.selfSigning()).isEqualTo(new SelfSigningCheck.ByAcceptedKey(
                "ed25519:" + DATA.get("SELF_CROSS_SIGNING_PUBLIC_KEY_BASE64").textValue(), SignatureCheck.ABSENT));
    }

    @Test
    void derivedAliceDevice_isCrossSignedByAlicesSelfSigningKey() {
        UserKeys alice = KeysQueryResponse.parse(keysQuery(DATA.get("SIGNED_CROSS_SIGNING_KEYS_DATA"), ALICE,
                DERIVED.get("cross_signed_device_keys"))).user(ALICE).orElseThrow();
        assertThat(alice.rejections()).isEmpty();
        assertThat(alice.device("test_device").orElseThrow().isCrossSigned()).isTrue();
    }

    @Test
    void derivedAliceSignature_isReproducedFromTheSelfSigningPrivateKey() {
        Ed25519KeyPair ssk = Ed25519KeyPair.fromSeedBase64(DERIVED.get("self_signing_private_key_b64").textValue());
        assertThat(ssk.publicKey().toBase64()).isEqualTo(DERIVED.get("self_signing_public_key_b64").textValue());
        ObjectNode signed = SignedJson.sign((ObjectNode) DATA.get("SIGNED_TEST_DEVICE_DATA"), ALICE,
                SignedJson.keyIdOf(ssk.publicKey()), ssk);
        assertThat(signed.at("/signatures/" + "@alice:localhost").get(SignedJson.keyIdOf(ssk.publicKey())).textValue())
                .isEqualTo(DERIVED.get("expected_ssk_signature").textValue());
        assertThat(DeviceKeys.parse(DERIVED.get("cross_signed_device_keys")).signatureBy(ALICE, ssk.publicKey()))
                .isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void bobResponse_acceptsIdentityAndDevice() {
        UserKeys bob = KeysQueryResponse.parse(keysQuery(DATA.get("BOB_SIGNED_CROSS_SIGNING_KEYS_DATA"), BOB,
                DATA.get("BOB_SIGNED_TEST_DEVICE_DATA"))).user(BOB).orElseThrow();
        assertThat(bob.rejections()).isEmpty();
        assertThat(bob.masterKey().orElseThrow().publicKey()).isEqualTo(key("BOB_MASTER_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
        assertThat(bob.device("bob_device").orElseThrow().keys().ed25519()).isEqualTo(key("BOB_TEST_DEVICE_PUBLIC_ED25519_KEY_BASE64"));
    }

    @Test
    void bobAlternativeIdentity_signsTheSameSelfSigningKeyWithAnotherMaster() {
        UserKeys alt = KeysQueryResponse.parse(DATA.get("BOB_ALT_SIGNED_CROSS_SIGNING_KEYS_DATA")).user(BOB).orElseThrow();
        assertThat(alt.rejections()).isEmpty();
        assertThat(alt.selfSigningKey().orElseThrow().publicKey()).isEqualTo(key("BOB_SELF_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
        assertThat(alt.masterKey().orElseThrow().publicKey()).isNotEqualTo(key("BOB_MASTER_CROSS_SIGNING_PUBLIC_KEY_BASE64"));
    }

    @Test
    void selfSigningKeySignedByTheOtherMaster_isMissingItsMasterSignature() {
        ObjectNode mixed = ((ObjectNode) DATA.get("BOB_SIGNED_CROSS_SIGNING_KEYS_DATA")).deepCopy();
        mixed.set("self_signing_keys", DATA.at("/BOB_ALT_SIGNED_CROSS_SIGNING_KEYS_DATA/self_signing_keys").deepCopy());
        UserKeys bob = KeysQueryResponse.parse(mixed).user(BOB).orElseThrow();
        assertThat(bob.selfSigningKey()).isEmpty();
        assertThat(bob.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.MISSING_MASTER_SIGNATURE);
            assertThat(r.what()).isEqualTo(Rejection.SELF_SIGNING_KEY);
        });
    }

    @Test
    void privateKeys_deriveThePublishedPublicKeys() {
        for (String prefix : new String[] {"", "BOB_"}) {
            for (String role : new String[] {"MASTER", "SELF", "USER"}) {
                String base = prefix + role + "_CROSS_SIGNING_";
                assertThat(Ed25519KeyPair.fromSeedBase64(DATA.get(base + "PRIVATE_KEY_BASE64").textValue()).publicKey())
                        .as(base).isEqualTo(key(base + "PUBLIC_KEY_BASE64"));
            }
        }
    }

    @Test
    void oneTimeKeysAndBackupAuthData_areSignedByTheDevice() {
        Ed25519PublicKey aliceDevice = key("TEST_DEVICE_PUBLIC_ED25519_KEY_BASE64");
        ObjectNode otk = (ObjectNode) DATA.at("/ONE_TIME_KEYS/@alice:localhost/test_device/signed_curve25519:AAAAHQ");
        assertThat(SignedJson.verify(otk, ALICE, "ed25519:test_device", aliceDevice)).isEqualTo(SignatureCheck.VALID);
        ObjectNode authData = (ObjectNode) DATA.at("/SIGNED_BACKUP_DATA/auth_data");
        assertThat(SignedJson.verify(authData, ALICE, "ed25519:test_device", aliceDevice)).isEqualTo(SignatureCheck.VALID);
        ObjectNode bobAuth = (ObjectNode) DATA.at("/BOB_SIGNED_BACKUP_DATA/auth_data");
        assertThat(SignedJson.verify(bobAuth, BOB, "ed25519:bob_device", key("BOB_TEST_DEVICE_PUBLIC_ED25519_KEY_BASE64")))
                .isEqualTo(SignatureCheck.VALID);
        assertThat(SignedJson.verify(authData, ALICE, "ed25519:test_device", key("BOB_TEST_DEVICE_PUBLIC_ED25519_KEY_BASE64")))
                .isEqualTo(SignatureCheck.INVALID);
    }

    @Test
    void asciiSeeds_areWhatTheNoteSays() {
        assertThat(new String(UnpaddedBase64.decode(DATA.get("MASTER_CROSS_SIGNING_PRIVATE_KEY_BASE64").textValue())))
                .isEqualTo("doyouspeakwhaaaaaaaaaaaaaaaaaale");
    }
}
