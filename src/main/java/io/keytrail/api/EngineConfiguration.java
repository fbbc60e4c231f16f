package io.keytrail.api;

import java.security.SecureRandom;
import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.session.JdbcDataKeys;
import io.keytrail.session.SessionKeyVault;

/**
 * The engine's basic beans. Imported by {@link KeytrailAutoConfiguration}; a host replaces any of them by
 * declaring a bean of the same type (a fixed or test {@code Clock}, its own {@code SecureRandom}, a
 * {@code SessionKeyVault} whose sealing key comes from the host's secret store).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeytrailProperties.class)
public class EngineConfiguration {

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

    /**
     * Seals Megolm session keys: per-session data keys in the store's data-key table, wrapped by the
     * configured sealing keys ({@link SealingKeySettings}, ADR 0012).
     */
    @Bean
    @ConditionalOnMissingBean
    SessionKeyVault sessionKeyVault(KeytrailProperties properties, SecureRandom random, JdbcTemplate jdbc,
                                    Clock clock) {
        return new SessionKeyVault(SealingKeySettings.load(properties, random), new JdbcDataKeys(jdbc, clock), random);
    }
}
