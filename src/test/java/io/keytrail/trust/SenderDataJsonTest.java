package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.crypto.Ed25519PublicKey;

class SenderDataJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Ed25519PublicKey ZERO_KEY = Ed25519PublicKey.fromBytes(new byte[32]);
    private static final String ONES = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";

    static Stream<JsonNode> rustSdkSnapshots() throws IOException {
        try (InputStream in = SenderDataJsonTest.class.getResourceAsStream(
                "/vectors/sender-data-serialization-rust-sdk.json")) {
            List<JsonNode> snapshots = new ArrayList<>();
            MAPPER.readTree(in).get("snapshots").forEach(snapshots::add);
            assertThat(snapshots).hasSize(6);
            return snapshots.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("rustSdkSnapshots")
    void everyRustSdkSnapshot_readsAndWritesBackExactly(JsonNode snapshot) throws IOException {
        SenderData read = SenderDataJson.read(snapshot);

        assertThat(SenderDataJson.write(read)).isEqualTo(snapshot);
        SenderData viaJackson = MAPPER.readValue(snapshot.toString(), SenderData.class);
        assertThat(MAPPER.writeValueAsString(viaJackson)).isEqualTo(snapshot.toString());
    }

    @Test
    void rustSdkSnapshots_readAsTheStatesTheyName() throws IOException {
        List<SenderData> read = rustSdkSnapshots().map(SenderDataJson::read).toList();

        assertThat(read.get(0)).isEqualTo(new SenderData.UnknownDevice(false, true));
        assertThat(read.get(1)).isEqualTo(SenderData.legacy());
        SenderData.DeviceInfo info = (SenderData.DeviceInfo) read.get(2);
        assertThat(info.legacySession()).isFalse();
        assertThat(info.userId()).contains("@foo:bar.baz");
        assertThat(info.deviceId()).contains("DEV");
        assertThat(read.get(3)).isEqualTo(new SenderData.VerificationViolation(
                new KnownSenderData("@foo:bar.baz", "DEV", ZERO_KEY)));
        KnownSenderData noDevice = new KnownSenderData("@foo:bar.baz", null, Ed25519PublicKey.parse(ONES));
        assertThat(read.get(4)).isEqualTo(new SenderData.SenderUnverified(noDevice));
        assertThat(read.get(5)).isEqualTo(new SenderData.SenderVerified(noDevice));
        assertThat(read).extracting(SenderData::rank).containsExactly(0, 0, 1, 2, 3, 4);
    }

    @Test
    void unknownDeviceWithoutFailedOwnerCheck_omitsTheField() {
        assertThat(SenderDataJson.write(SenderData.unknown()).toString())
                .isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
    }

    @Test
    void unknownDeviceWithOldRetryDetails_ignoresThem() {
        SenderData read = read("{\"UnknownDevice\":{\"retry_details\":{\"retry_count\":3,"
                + "\"next_retry_time_ms\":10000},\"legacy_session\":false}}");

        assertThat(read).isEqualTo(SenderData.unknown());
    }

    @Test
    void missingFlags_readAsFalse() {
        assertThat(read("{\"UnknownDevice\":{}}")).isEqualTo(SenderData.unknown());
        SenderData info = read("{\"DeviceInfo\":{\"device_keys\":" + deviceKeysJson() + ",\"retry_details\":{}}}");
        assertThat(info.legacySession()).isFalse();
    }

    @Test
    void deviceInfo_keepsUnknownDeviceKeyFieldsAndUnsigned() {
        String keys = "{\"user_id\":\"@a:x\",\"device_id\":\"D\",\"algorithms\":[],\"keys\":{},\"signatures\":{},"
                + "\"unsigned\":{\"device_display_name\":\"phone\"},\"org.example.extra\":[1,2]}";
        SenderData read = read("{\"DeviceInfo\":{\"device_keys\":" + keys + ",\"legacy_session\":true}}");

        assertThat(SenderDataJson.write(read).get("DeviceInfo").get("device_keys")).isEqualTo(json(keys));
        assertThat(read.legacySession()).isTrue();
    }

    @Test
    void oldSenderKnownWithIntArrayKeyAndNoDeviceId_readsAsSenderVerified() {
        String zeros = "[0" + ",0".repeat(31) + "]";
        SenderData read = read("{\"SenderKnown\":{\"user_id\":\"@u:s.co\",\"master_key\":" + zeros
                + ",\"master_key_verified\":true}}");

        assertThat(read).isEqualTo(new SenderData.SenderVerified(new KnownSenderData("@u:s.co", null, ZERO_KEY)));
        assertThat(SenderDataJson.write(read).toString()).isEqualTo("{\"SenderVerified\":{\"user_id\":\"@u:s.co\","
                + "\"device_id\":null,\"master_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}");
    }

    @Test
    void oldSenderKnownNotVerified_readsAsSenderUnverified() {
        SenderData read = read("{\"SenderKnown\":{\"user_id\":\"@u:s.co\",\"device_id\":\"DEV\",\"master_key\":\""
                + ONES + "\",\"master_key_verified\":false}}");

        assertThat(read).isEqualTo(new SenderData.SenderUnverified(
                new KnownSenderData("@u:s.co", "DEV", Ed25519PublicKey.parse(ONES))));
    }

    @Test
    void oldNameSenderUnverifiedButPreviouslyVerified_readsAsVerificationViolation() {
        SenderData read = read("{\"SenderUnverifiedButPreviouslyVerified\":{\"user_id\":\"@u:s.co\","
                + "\"device_id\":\"DEV\",\"master_key\":\"" + ONES + "\",\"master_key_verified\":false}}");

        assertThat(read).isInstanceOf(SenderData.VerificationViolation.class);
        assertThat(read.userId()).contains("@u:s.co");
    }

    @Test
    void verificationViolationWithExtraMasterKeyVerified_ignoresIt() {
        SenderData read = read("{\"VerificationViolation\":{\"user_id\":\"@u:s.co\",\"device_id\":\"DEV\","
                + "\"master_key\":\"" + ONES + "\",\"master_key_verified\":false}}");

        assertThat(read).isInstanceOf(SenderData.VerificationViolation.class);
    }

    @Test
    void missingSenderData_readsAsLegacy() {
        assertThat(SenderDataJson.readOrLegacy(null)).isEqualTo(SenderData.legacy());
        assertThat(SenderDataJson.readOrLegacy(json("null"))).isEqualTo(SenderData.legacy());
        assertThat(SenderDataJson.readOrLegacy(json("{}").path("sender_data"))).isEqualTo(SenderData.legacy());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"SenderTrusted\":{}}",
        "{}",
        "\"UnknownDevice\"",
        "{\"UnknownDevice\":{},\"DeviceInfo\":{}}",
        "{\"UnknownDevice\":true}",
        "{\"UnknownDevice\":{\"legacy_session\":\"yes\"}}",
        "{\"DeviceInfo\":{\"legacy_session\":false}}",
        "{\"DeviceInfo\":{\"device_keys\":{\"user_id\":\"@a:x\"}}}",
        "{\"SenderVerified\":{\"device_id\":\"D\",\"master_key\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\"}}",
        "{\"SenderVerified\":{\"user_id\":\"alice\",\"master_key\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\"}}",
        "{\"SenderVerified\":{\"user_id\":\"@a:x\",\"device_id\":7,\"master_key\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\"}}",
        "{\"SenderVerified\":{\"user_id\":\"@a:x\",\"master_key\":\"AQEB\"}}",
        "{\"SenderVerified\":{\"user_id\":\"@a:x\",\"master_key\":[1,2,3]}}",
        "{\"SenderVerified\":{\"user_id\":\"@a:x\",\"master_key\":[256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}}",
        "{\"SenderVerified\":{\"user_id\":\"@a:x\"}}",
        "{\"SenderKnown\":{\"user_id\":\"@a:x\",\"master_key\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\"}}"
    })
    void malformedOrUnknown_isRejectedWithAMessageNamingTheProblem(String text) {
        assertThatThrownBy(() -> read(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sender_data");
        assertThatThrownBy(() -> MAPPER.readValue(text, SenderData.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("sender_data");
    }

    @Test
    void unknownVariant_messageNamesIt() {
        assertThatThrownBy(() -> read("{\"SenderTrusted\":{}}"))
                .hasMessageContaining("unknown variant \"SenderTrusted\"");
    }

    static String deviceKeysJson() {
        return "{\"user_id\":\"@a:x\",\"device_id\":\"D\",\"algorithms\":[],\"keys\":{},\"signatures\":{}}";
    }

    private static SenderData read(String text) {
        return SenderDataJson.read(json(text));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
