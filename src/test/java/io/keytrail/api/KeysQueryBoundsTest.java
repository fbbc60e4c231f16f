package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.matrix.SignedJson;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Issue 9: one validly signed device over 65,535 characters, or one number such as
 * {@code 1e100000000}, used to fail the whole {@code /keys/query} response (or pin a core). Now that
 * device is listed in {@code rejected} and the other users' sessions are decided.
 */
@EngineSpringTest
class KeysQueryBoundsTest {
    @Autowired
    InputProcessor processor;

    @Test
    void oversizedAndUnreadableDevices_areRejectedAlone_andTheOtherUsersSessionIsDecided() throws Exception {
        processor.process(Story.ownDevice());
        Story good = new Story();
        Story big = new Story();
        Story exponent = new Story();
        processor.process(good.roomKey());
        processor.process(big.roomKey());
        processor.process(exponent.roomKey());

        ObjectNode body = new KeysQueryBody().account(good.sender).account(big.sender)
                .device(big.sender.userId(), big.deviceId, padded(big.sender, big.deviceId, 70_000))
                .account(exponent.sender).build();
        String text = "{\"type\":\"keys_query_response\",\"body\":" + body + "}";
        String exponentDevice = "\"device_id\":\"" + exponent.deviceId + "\"";
        text = text.replace(exponentDevice, exponentDevice + ",\"n\":1e100000000");

        long start = System.nanoTime();
        JsonNode result = processor.process(JsonInput.parse(text));
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);

        assertThat(result.get("updated")).singleElement().satisfies(u -> {
            assertThat(u.get("session_id").textValue()).isEqualTo(good.sessionId());
            assertThat(u.has("sender_data") && u.get("sender_data").has("SenderUnverified")).isTrue();
        });
        assertThat(result.get("rejected")).hasSize(2);
        assertThat(result.get("rejected")).anySatisfy(r -> {
            assertThat(r.get("user_id").textValue()).isEqualTo(big.sender.userId());
            assertThat(r.get("what").textValue()).isEqualTo("device:" + big.deviceId);
            assertThat(r.get("reason").textValue()).contains("larger than 32768 characters");
        });
        assertThat(result.get("rejected")).anySatisfy(r -> {
            assertThat(r.get("user_id").textValue()).isEqualTo(exponent.sender.userId());
            assertThat(r.get("reason").textValue()).contains("fraction or an exponent").doesNotContain("00000");
        });
    }

    static ObjectNode padded(TestAccount account, String deviceId, int padding) {
        ObjectNode json = account.deviceKeysJson(deviceId, DeviceSigning.UNSIGNED);
        json.put("padding", "x".repeat(padding));
        ObjectNode self = SignedJson.sign(json, account.userId(), "ed25519:" + deviceId, account.device(deviceId).ed25519());
        return SignedJson.sign(self, account.userId(), SignedJson.keyIdOf(account.selfSigningKey().publicKey()),
                account.selfSigningKey());
    }
}
