package io.keytrail.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keytrail's own settings ({@code keytrail.*}).
 *
 * @param dataDir            where the embedded default keeps generated files (the dev session-key key)
 * @param sessionKeyEncryptionKey base64 32-byte AES key that seals Megolm session keys in the event
 *                           store; when empty a development key is generated under {@code dataDir}
 */
@ConfigurationProperties(prefix = "keytrail")
public record KeytrailProperties(String dataDir, String sessionKeyEncryptionKey) {
    public KeytrailProperties {
        if (dataDir == null || dataDir.isBlank()) {
            dataDir = "./data";
        }
    }
}
