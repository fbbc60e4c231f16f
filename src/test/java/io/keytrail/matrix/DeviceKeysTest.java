package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519PublicKey;

class DeviceKeysTest {
    private static final ObjectNode VECTORS = Vectors.load("keys-query-rust-sdk-keydistribution.json");
    private static final ObjectNode DAN_CROSS_SIGNED =
            (ObjectNode) VECTORS.at("/dan_keys_query_response/device_keys/@dan:localhost/JHPUERYQUW");
    private static final Ed25519PublicKey DAN_SSK = Ed25519PublicKey.parse("FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA");

    private static ObjectNode variant(Consumer<ObjectNode> change) {
        ObjectNode copy = DAN_CROSS_SIGNED.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static void assertRejected(Consumer<ObjectNode> change, String... messageParts) {
        assertThatThrownBy(() -> DeviceKeys.parse(variant(change)))
                .isInstanceOf(MatrixFormatException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    @Test
    void realDeviceKeys_parseWithTheirIdsAndKeys() {
        DeviceKeys keys = DeviceKeys.parse(DAN_CROSS_SIGNED);
        assertThat(keys.userId()).isEqualTo("@dan:localhost");
        assertThat(keys.deviceId()).isEqualTo("JHPUERYQUW");
        assertThat(keys.curve25519().toBase64()).isEqualTo("PBo2nKbink/HxgzMrBftGPogsD0d47LlIMsViTpCRn4");
        assertThat(keys.ed25519().toBase64()).isEqualTo("+qMutlCB/eWCbI3bIskWhjYVGrRX8hF+F48sNsmg1YE");
        assertThat(keys.algorithms()).containsExactly("m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2");
        assertThat(keys.selfSignature()).isEqualTo(SignatureCheck.VALID);
        assertThat(keys.signatureBy("@dan:localhost", DAN_SSK)).isEqualTo(SignatureCheck.VALID);
        assertThat(keys.toString()).contains("@dan:localhost/JHPUERYQUW");
    }

    @Test
    void unknownFields_areKeptAndCoveredByTheSignature() {
        DeviceKeys dehydrated = DeviceKeys.parse(variant(o -> o.put("dehydrated", true)));
        assertThat(dehydrated.json().get("dehydrated").booleanValue()).isTrue();
        assertThat(dehydrated.selfSignature()).isEqualTo(SignatureCheck.INVALID);
    }

    @Test
    void unsignedDataAndUnknownSigners_doNotAffectSignatures() {
        DeviceKeys keys = DeviceKeys.parse(variant(o -> {
            o.putObject("unsigned").put("device_display_name", "Dan's phone");
            ((ObjectNode) o.get("signatures")).putObject("@other:x").put("ed25519:Z", "zzz");
        }));
        assertThat(keys.selfSignature()).isEqualTo(SignatureCheck.VALID);
        assertThat(keys.signatureBy("@dan:localhost", DAN_SSK)).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void jsonAccessor_returnsACopy_andEqualityIsOnTheWholeJson() {
        DeviceKeys keys = DeviceKeys.parse(DAN_CROSS_SIGNED);
        keys.json().put("mutated", true);
        assertThat(keys.json()).isEqualTo(DAN_CROSS_SIGNED);
        assertThat(keys).isEqualTo(DeviceKeys.parse(DAN_CROSS_SIGNED.deepCopy()));
        assertThat(keys.hashCode()).isEqualTo(DeviceKeys.parse(DAN_CROSS_SIGNED.deepCopy()).hashCode());
        assertThat(keys).isNotEqualTo(DeviceKeys.parse(variant(o -> o.putObject("unsigned"))));
    }

    @Test
    void parseKeepsItsOwnCopy_soLaterChangesToTheInputDoNotLeakIn() {
        ObjectNode input = DAN_CROSS_SIGNED.deepCopy();
        DeviceKeys keys = DeviceKeys.parse(input);
        input.put("user_id", "@mallory:evil");
        assertThat(keys.json().get("user_id").textValue()).isEqualTo("@dan:localhost");
        assertThat(keys.selfSignature()).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void missingRequiredFields_areRejectedByName() {
        for (String field : new String[] {"user_id", "device_id", "algorithms", "keys", "signatures"}) {
            assertRejected(o -> o.remove(field), "device keys." + field + " is missing");
        }
    }

    @Test
    void mistypedFields_areRejectedByName() {
        assertRejected(o -> o.put("user_id", 5), "device keys.user_id must be a string, got a number");
        assertRejected(o -> o.put("device_id", ""), "device keys.device_id must not be empty");
        assertRejected(o -> o.put("algorithms", "m.megolm.v1.aes-sha2"), "algorithms must be an array");
        assertRejected(o -> o.putArray("algorithms").add(1), "algorithms[0] must be a string");
        assertRejected(o -> o.putArray("keys"), "device keys.keys must be a JSON object, got an array");
        assertRejected(o -> o.put("signatures", "x"), "device keys.signatures must be a JSON object");
        assertRejected(o -> o.putObject("signatures").put("@dan:localhost", "x"), "signatures.@dan:localhost must be a JSON object");
        assertRejected(o -> o.putObject("signatures").putObject("@dan:localhost").put("ed25519:JHPUERYQUW", 1),
                "signatures.@dan:localhost.ed25519:JHPUERYQUW must be a string");
        assertThatThrownBy(() -> DeviceKeys.parse(MatrixJson.parse("[]")))
                .isInstanceOf(MatrixFormatException.class).hasMessage("device keys must be a JSON object, got an array");
        assertThatThrownBy(() -> DeviceKeys.parse(null)).isInstanceOf(MatrixFormatException.class);
    }

    @Test
    void keysNamedForAnotherDevice_areRejected() {
        assertRejected(o -> o.put("device_id", "OTHERDEVICE"), "key ids must be <algorithm>:OTHERDEVICE");
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("ed25519", "x"), "keys.ed25519: key ids must be");
    }

    @Test
    void missingIdentityKeys_areRejected() {
        assertRejected(o -> ((ObjectNode) o.get("keys")).remove("curve25519:JHPUERYQUW"),
                "keys.curve25519:JHPUERYQUW is missing");
        assertRejected(o -> ((ObjectNode) o.get("keys")).remove("ed25519:JHPUERYQUW"),
                "keys.ed25519:JHPUERYQUW is missing");
    }

    @Test
    void truncatedOverlongOrNonBase64Keys_areRejected() {
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("ed25519:JHPUERYQUW", "+qMutlCB/eWCbI3bIskWhjYVGrRX8hF+F48sNsmg1Y"),
                "ed25519:JHPUERYQUW");
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("curve25519:JHPUERYQUW", "PBo2nKbink/HxgzMrBftGPogsD0d47LlIMsViTpCRn4AAAA"),
                "Curve25519 public key must be 32 bytes, got 35");
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("curve25519:JHPUERYQUW", "PBo2nKbink-HxgzMrBftGPogsD0d47LlIMsViTpCRn4"),
                "not in the standard base64 alphabet");
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("ed25519:JHPUERYQUW", 7), "must be a string");
    }

    @Test
    void nonIntegerNumbers_makeTheObjectUnsignable() {
        assertRejected(o -> o.put("weird", 1.5), "device keys cannot be signed", "only integers are allowed");
    }

    @Test
    void selfSignatureMissingOrBroken_isReportedAsSuch() {
        DeviceKeys missing = DeviceKeys.parse(variant(o ->
                ((ObjectNode) o.get("signatures").get("@dan:localhost")).remove("ed25519:JHPUERYQUW")));
        assertThat(missing.selfSignature()).isEqualTo(SignatureCheck.ABSENT);
        DeviceKeys broken = DeviceKeys.parse(variant(o ->
                ((ObjectNode) o.get("signatures").get("@dan:localhost")).put("ed25519:JHPUERYQUW", "Zm9v")));
        assertThat(broken.selfSignature()).isEqualTo(SignatureCheck.INVALID);
        DeviceKeys underAnotherUser = DeviceKeys.parse(variant(o -> o.put("user_id", "@mallory:localhost")));
        assertThat(underAnotherUser.selfSignature()).isEqualTo(SignatureCheck.ABSENT);
    }
}
