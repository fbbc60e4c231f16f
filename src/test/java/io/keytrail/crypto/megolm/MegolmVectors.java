package io.keytrail.crypto.megolm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.util.encoders.Hex;

/** Loads the shared test vectors from the classpath ({@code src/test/resources/vectors}). */
final class MegolmVectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MegolmVectors() {
    }

    static JsonNode load(String fileName) {
        String path = "/vectors/" + fileName;
        try (InputStream in = MegolmVectors.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test vector file not on the classpath: " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode libolm() {
        return load("megolm-libolm-vectors.json");
    }

    static JsonNode vodozemacWraparound() {
        return load("megolm-vodozemac-ratchet-wraparound.json");
    }

    static JsonNode derivedMultiIndex() {
        return load("derived-megolm-session-multi-index.json");
    }

    /** The {@code data} object of the js-sdk crypto test data. */
    static JsonNode jsSdk() {
        return load("jssdk-crypto-test-data.json").get("data");
    }

    static byte[] hex(JsonNode node) {
        return Hex.decode(node.asText());
    }

    static String toHex(byte[] bytes) {
        return Hex.toHexString(bytes);
    }
}
