package io.keytrail.crypto.backup;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The backup test vectors, loaded from the classpath, and a deterministic random source. */
public final class BackupVectors {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonNode BACKUP = load("/vectors/key-backup-vectors.json");
    public static final JsonNode RUST = BACKUP.at("/vectors/0");
    public static final JsonNode JS = BACKUP.at("/vectors/1");
    public static final JsonNode RECOVERY = BACKUP.get("recovery_key_base58");
    public static final JsonNode JSSDK = load("/vectors/jssdk-crypto-test-data.json").get("data");

    private BackupVectors() {
    }

    public static JsonNode load(String resource) {
        try (InputStream in = BackupVectors.class.getResourceAsStream(resource)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static BackupDecryptionKey rustKey() {
        return BackupDecryptionKey.fromBase64(RUST.get("backup_private_key_b64").asText());
    }

    /** A deterministic "random" source: every byte is the given value. */
    public static final class FixedRandom extends SecureRandom {
        private final byte value;

        public FixedRandom(int value) {
            this.value = (byte) value;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, value);
        }
    }
}
