package io.keytrail.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.session.SessionKeyVault;

/**
 * The engine's basic beans. Imported by {@link KeytrailAutoConfiguration}; a host replaces any of them by
 * declaring a bean of the same type (a fixed or test {@code Clock}, its own {@code SecureRandom}, a
 * {@code SessionKeyVault} whose sealing key comes from the host's secret store).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeytrailProperties.class)
public class EngineConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    @ConditionalOnMissingBean
    SessionKeyVault sessionKeyVault(KeytrailProperties properties, SecureRandom random) {
        String configured = properties.sessionKeyEncryptionKey();
        if (configured != null && !configured.isBlank()) {
            return new SessionKeyVault(UnpaddedBase64.decodeExact(configured.trim(), 32,
                    "keytrail.session-key-encryption-key"), random);
        }
        Path file = Path.of(properties.dataDir(), "dev-session-key-encryption.key");
        SessionKeyVault vault = new SessionKeyVault(devKey(file, random), random);
        log.warn("No keytrail.session-key-encryption-key configured: Megolm session keys are sealed with a "
                + "generated development key in {} (key id {}). Configure a real key for production.",
                file.toAbsolutePath(), vault.keyId());
        return vault;
    }

    private static byte[] devKey(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return UnpaddedBase64.decodeExact(Files.readString(file).trim(), 32, "development key file " + file);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(file, UnpaddedBase64.encode(key), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the key file keeps the default permissions
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development key " + file, e);
        }
    }
}
