package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/** Design section 11: what breaks a limit inside a {@code /keys/query} response is refused on its own. */
class KeysQueryLimitsTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "ALICEDEV", "BIGDEV");
    private static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDEV");

    /** A device whose keys are validly signed (self and cross) but whose JSON is {@code padding} characters larger. */
    static ObjectNode signedDeviceWithPadding(TestAccount account, String deviceId, int padding) {
        ObjectNode json = account.deviceKeysJson(deviceId, DeviceSigning.UNSIGNED);
        json.put("padding", "x".repeat(padding));
        ObjectNode self = SignedJson.sign(json, account.userId(), "ed25519:" + deviceId, account.device(deviceId).ed25519());
        return SignedJson.sign(self, account.userId(), SignedJson.keyIdOf(account.selfSigningKey().publicKey()),
                account.selfSigningKey());
    }

    @Test
    void validlySignedDeviceOver65535Characters_isRefusedAlone_othersCount() {
        ObjectNode big = signedDeviceWithPadding(ALICE, "BIGDEV", 70_000);
        assertThat(DeviceKeys.parse(big).selfSignature()).isEqualTo(SignatureCheck.VALID);
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody().account(ALICE)
                .device(ALICE, "ALICEDEV", DeviceSigning.CROSS_SIGNED).device(ALICE.userId(), "BIGDEV", big)
                .account(BOB).device(BOB, "BOBDEV", DeviceSigning.CROSS_SIGNED).build());

        UserKeys alice = response.user(ALICE.userId()).orElseThrow();
        assertThat(alice.devices()).containsOnlyKeys("ALICEDEV");
        assertThat(alice.masterKey()).isPresent();
        assertThat(alice.rejections()).singleElement().satisfies(r -> {
            assertThat(r.what()).isEqualTo("device:BIGDEV");
            assertThat(r.reason()).isEqualTo(RejectionReason.OVER_LIMIT);
            assertThat(r.message()).contains("larger than 32768 characters");
            assertThat(r.json().isNull()).isTrue();
        });
        assertThat(response.user(BOB.userId()).orElseThrow().devices()).containsOnlyKeys("BOBDEV");
    }

    @Test
    void deviceJustUnderTheLimit_isAccepted() {
        ObjectNode device = signedDeviceWithPadding(ALICE, "BIGDEV", 30_000);
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody().account(ALICE)
                .device(ALICE.userId(), "BIGDEV", device).build());
        assertThat(response.user(ALICE.userId()).orElseThrow().devices()).containsKey("BIGDEV");
        assertThat(response.user(ALICE.userId()).orElseThrow().rejections()).isEmpty();
    }

    @Test
    void hugeExponentInOneDevice_refusesThatDeviceAsMalformed_quickly() {
        ObjectNode device = ALICE.deviceKeysJson("BIGDEV", DeviceSigning.CROSS_SIGNED);
        ObjectNode withNumber = (ObjectNode) MatrixJson.parse(device.toString().replaceFirst("\\{", "{\"n\":1e100000000,"));
        long start = System.nanoTime();
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody().account(ALICE)
                .device(ALICE, "ALICEDEV", DeviceSigning.CROSS_SIGNED).device(ALICE.userId(), "BIGDEV", withNumber).build());
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        UserKeys alice = response.user(ALICE.userId()).orElseThrow();
        assertThat(alice.devices()).containsOnlyKeys("ALICEDEV");
        assertThat(alice.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.MALFORMED);
            assertThat(r.message()).contains("fraction or an exponent").doesNotContain("00000");
        });
    }

    @Test
    void oversizedMasterKey_isRefusedAlone() {
        ObjectNode master = ALICE.masterKeyJson();
        master.putObject("unsigned").put("padding", "x".repeat(40_000));
        UserKeys alice = KeysQueryResponse.parse(new KeysQueryBody().account(ALICE).masterKey(ALICE.userId(), master)
                .build()).user(ALICE.userId()).orElseThrow();
        assertThat(alice.masterKey()).isEmpty();
        assertThat(alice.rejections()).anySatisfy(r -> {
            assertThat(r.what()).isEqualTo(Rejection.MASTER_KEY);
            assertThat(r.reason()).isEqualTo(RejectionReason.OVER_LIMIT);
        });
    }

    @Test
    void deviceIdOver255Bytes_isRefusedAlone_withAShortWhat() {
        String longId = "D".repeat(300);
        ObjectNode body = new KeysQueryBody().account(ALICE).device(ALICE, "ALICEDEV", DeviceSigning.CROSS_SIGNED).build();
        ((ObjectNode) body.get("device_keys").get(ALICE.userId())).set(longId, JsonNodeFactory.instance.objectNode());
        UserKeys alice = KeysQueryResponse.parse(body).user(ALICE.userId()).orElseThrow();
        assertThat(alice.devices()).containsOnlyKeys("ALICEDEV", "BIGDEV");
        assertThat(alice.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.OVER_LIMIT);
            assertThat(r.what()).hasSizeLessThan(100);
        });
    }

    @Test
    void usersBeyondTheLimit_areRefusedWhole_inUserIdOrder() {
        KeysQueryBody body = new KeysQueryBody();
        for (int i = 0; i < 5; i++) {
            body.devices("@u" + i + ":example.org", JsonNodeFactory.instance.objectNode());
        }
        KeysQueryResponse response = KeysQueryResponse.parse(body.build(), new KeysQueryLimits(3, 10, 1000));
        assertThat(response.users()).containsOnlyKeys("@u0:example.org", "@u1:example.org", "@u2:example.org");
        assertThat(response.refusedUsers()).extracting(Rejection::userId).containsExactly("@u3:example.org", "@u4:example.org");
        assertThat(response.refusedUsers()).allSatisfy(r -> {
            assertThat(r.what()).isEqualTo(Rejection.USER);
            assertThat(r.reason()).isEqualTo(RejectionReason.OVER_LIMIT);
            assertThat(r.message()).contains("more than 3 users");
        });
    }

    @Test
    void defaultLimit_reads1000Users_andRefusesThe1001st() {
        KeysQueryBody body = new KeysQueryBody();
        for (int i = 0; i < 1001; i++) {
            body.devices(String.format("@u%04d:example.org", i), JsonNodeFactory.instance.objectNode());
        }
        KeysQueryResponse response = KeysQueryResponse.parse(body.build());
        assertThat(response.users()).hasSize(1000);
        assertThat(response.refusedUsers()).extracting(Rejection::userId).containsExactly("@u1000:example.org");
    }

    @Test
    void userWithTooManyDevices_isRefusedWhole_otherUsersCount() {
        ObjectNode many = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 11; i++) {
            many.set("DEV" + i, JsonNodeFactory.instance.objectNode());
        }
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody().devices(ALICE.userId(), many)
                .account(BOB).device(BOB, "BOBDEV", DeviceSigning.CROSS_SIGNED).build(), new KeysQueryLimits(10, 10, 100_000));
        assertThat(response.users()).containsOnlyKeys(BOB.userId());
        assertThat(response.refusedUsers()).singleElement()
                .satisfies(r -> assertThat(r.message()).contains("11 devices; at most 10"));
    }

    @Test
    void userIdOver255Bytes_isRefusedWhole_withAShortenedId() {
        String longUser = "@" + "u".repeat(300) + ":example.org";
        KeysQueryResponse response = KeysQueryResponse.parse(new KeysQueryBody()
                .devices(longUser, JsonNodeFactory.instance.objectNode()).account(BOB).build());
        assertThat(response.users()).containsOnlyKeys(BOB.userId());
        assertThat(response.refusedUsers()).singleElement().satisfies(r -> {
            assertThat(r.userId()).hasSizeLessThan(100);
            assertThat(r.message()).contains("longer than 255 bytes");
        });
    }
}
