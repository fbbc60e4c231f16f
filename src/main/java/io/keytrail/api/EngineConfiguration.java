package io.keytrail.api;

import java.security.SecureRandom;
import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.session.JdbcDataKeys;
import io.keytrail.session.SessionKeyVault;

@Configuration
@EnableConfigurationProperties({KeytrailProperties.class, ApiProperties.class, HttpLimits.class})
public class EngineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    /**
     * Seals Megolm session keys: per-session data keys in the store's data-key table, wrapped by the
     * configured sealing keys ({@link SealingKeySettings}, ADR 0012).
     */
    @Bean
    SessionKeyVault sessionKeyVault(KeytrailProperties properties, SecureRandom random, JdbcTemplate jdbc,
                                    Clock clock) {
        return new SessionKeyVault(SealingKeySettings.load(properties, random), new JdbcDataKeys(jdbc, clock), random);
    }
}
