package io.keytrail.api;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keytrail's own settings ({@code keytrail.*}).
 *
 * @param dataDir            where the embedded default keeps generated files (the dev sealing key)
 * @param sessionKeyEncryptionKey base64 32-byte current sealing key, inline (env
 *                           {@code KEYTRAIL_SESSION_KEY_ENCRYPTION_KEY}); or use {@code sealing.key-file}
 * @param sealing            the sealing keys from files, and older keys kept for rotation (ADR 0012)
 */
@ConfigurationProperties(prefix = "keytrail")
public record KeytrailProperties(String dataDir, String sessionKeyEncryptionKey, Sealing sealing) {
    public KeytrailProperties {
        if (dataDir == null || dataDir.isBlank()) {
            dataDir = "./data";
        }
        if (sealing == null) {
            sealing = new Sealing(null, List.of(), List.of());
        }
    }

    /**
     * @param keyFile     file holding the current sealing key (base64, 32 bytes), outside the data directory,
     *                    readable by its owner only
     * @param oldKeys     older sealing keys (base64), kept only to open what they sealed until rotation is done
     * @param oldKeyFiles files each holding one older sealing key (same rules as {@code keyFile})
     */
    public record Sealing(String keyFile, List<String> oldKeys, List<String> oldKeyFiles) {
        public Sealing {
            oldKeys = oldKeys == null ? List.of() : oldKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
            oldKeyFiles = oldKeyFiles == null ? List.of()
                    : oldKeyFiles.stream().filter(k -> k != null && !k.isBlank()).toList();
        }
    }
}
