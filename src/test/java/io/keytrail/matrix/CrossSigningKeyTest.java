package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class CrossSigningKeyTest {
    private static final ObjectNode VECTORS = Vectors.load("keys-query-rust-sdk-keydistribution.json");
    private static final ObjectNode DAN = (ObjectNode) VECTORS.get("dan_keys_query_response");
    private static final ObjectNode DAN_MSK = (ObjectNode) DAN.at("/master_keys/@dan:localhost");
    private static final ObjectNode DAN_SSK = (ObjectNode) DAN.at("/self_signing_keys/@dan:localhost");
    private static final String SSK_ID = "ed25519:FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA";

    private static ObjectNode ssk(Consumer<ObjectNode> change) {
        ObjectNode copy = DAN_SSK.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static void assertRejected(Consumer<ObjectNode> change, String messagePart) {
        assertThatThrownBy(() -> CrossSigningKey.parse(ssk(change)))
                .isInstanceOf(MatrixFormatException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void realKeys_parseAndVerifyTheirMasterSignature() {
        CrossSigningKey msk = CrossSigningKey.parse(DAN_MSK);
        CrossSigningKey ssk = CrossSigningKey.parse(DAN_SSK);
        assertThat(msk.usage()).containsExactly(KeyUsage.MASTER);
        assertThat(ssk.usage()).containsExactly(KeyUsage.SELF_SIGNING);
        assertThat(ssk.userId()).isEqualTo("@dan:localhost");
        assertThat(ssk.keyId()).isEqualTo(SSK_ID);
        assertThat(ssk.publicKey().toBase64()).isEqualTo(SSK_ID.substring("ed25519:".length()));
        assertThat(ssk.signatureBy("@dan:localhost", msk.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(msk.signatureBy("@dan:localhost", msk.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(msk.signatureBy("@dan:localhost", ssk.publicKey())).isEqualTo(SignatureCheck.ABSENT);
    }

    @Test
    void masterKeyWithoutSignatures_isWellFormed() {
        CrossSigningKey msk = CrossSigningKey.parse(DAN_MSK.deepCopy().without("signatures"));
        assertThat(msk.signatureBy("@dan:localhost", msk.publicKey())).isEqualTo(SignatureCheck.ABSENT);
    }

    @Test
    void tamperedKey_failsItsMasterSignature() {
        CrossSigningKey msk = CrossSigningKey.parse(DAN_MSK);
        CrossSigningKey tampered = CrossSigningKey.parse(ssk(o -> o.putArray("usage").add("self_signing").add("user_signing")));
        assertThat(tampered.signatureBy("@dan:localhost", msk.publicKey())).isEqualTo(SignatureCheck.INVALID);
    }

    @Test
    void anyEd25519KeyId_canBeChecked() {
        CrossSigningKey msk = CrossSigningKey.parse(DAN_MSK);
        assertThat(msk.signature("@dan:localhost", msk.keyId(), msk.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThatThrownBy(() -> msk.signature("@dan:localhost", "curve25519:X", msk.publicKey()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysMustHoldExactlyOneKey() {
        assertRejected(o -> o.putObject("keys"), "must hold exactly one key, got 0");
        assertRejected(o -> ((ObjectNode) o.get("keys")).put("ed25519:ZzirLovLjBbJ9KkCl/w1+WevTSQdn0ngS4xl36bAuZo",
                "ZzirLovLjBbJ9KkCl/w1+WevTSQdn0ngS4xl36bAuZo"), "exactly one key, got 2");
    }

    @Test
    void keyIdMustBeThePublicKey() {
        assertRejected(o -> o.putObject("keys").put("ed25519:SOMEDEVICE", "FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA"),
                "key id ed25519:SOMEDEVICE must be " + SSK_ID);
        assertRejected(o -> o.putObject("keys").put("curve25519:FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA",
                "FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QA"), "must be " + SSK_ID);
    }

    @Test
    void badKeyMaterial_isRejected() {
        assertRejected(o -> o.putObject("keys").put(SSK_ID, "FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2Q"), "Ed25519 public key");
        assertRejected(o -> o.putObject("keys").put(SSK_ID, "FZSpCr3lGMCfjgRtlLxxHkGJ8dMw5YSYvSYaf7bJ2QAAAAA"), "must be 32 bytes, got 35");
        assertRejected(o -> o.putObject("keys").put(SSK_ID, 12), "must be a string");
    }

    @Test
    void usageMustBeANonEmptyListOfKnownValues() {
        assertRejected(o -> o.putArray("usage"), "usage must be a non-empty array");
        assertRejected(o -> o.put("usage", "self_signing"), "usage must be a non-empty array, got a string");
        assertRejected(o -> o.putArray("usage").add("self_signing").add("backup"), "usage[1] must be one of master");
        assertRejected(o -> o.putArray("usage").add(3), "usage[0] must be one of");
        assertRejected(o -> o.remove("usage"), "usage is missing");
    }

    @Test
    void userIdIsRequired() {
        assertRejected(o -> o.remove("user_id"), "cross-signing key.user_id is missing");
        assertRejected(o -> o.put("user_id", true), "user_id must be a string");
    }

    @Test
    void malformedSignatures_areRejected() {
        assertRejected(o -> o.putArray("signatures"), "signatures must be a JSON object");
    }

    @Test
    void equality_isOnTheWholeJson() {
        assertThat(CrossSigningKey.parse(DAN_SSK)).isEqualTo(CrossSigningKey.parse(DAN_SSK.deepCopy()));
        assertThat(CrossSigningKey.parse(DAN_SSK)).isNotEqualTo(CrossSigningKey.parse(ssk(o -> o.remove("signatures"))));
        assertThat(KeyUsage.fromWireName("user_signing")).contains(KeyUsage.USER_SIGNING);
        assertThat(KeyUsage.fromWireName("USER_SIGNING")).isEmpty();
    }
}
