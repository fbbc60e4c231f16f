package io.keytrail.api;

import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.SimpleDeadlineManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine as the command-line tools start it ({@link CliContext}): without db-scheduler
 * ({@code db-scheduler.enabled=false}) Axon has no deadline manager, yet the key-query saga's handlers
 * name one. An in-memory one stands in; nothing schedules on it, since the tools never start the saga's
 * processor.
 */
@Configuration
@ConditionalOnProperty(name = "db-scheduler.enabled", havingValue = "false")
class CliEngineConfiguration {
    @Bean
    @ConditionalOnMissingBean(DeadlineManager.class)
    DeadlineManager inMemoryDeadlineManager(org.axonframework.config.Configuration axon) {
        return SimpleDeadlineManager.builder().scopeAwareProvider(new ConfigurationScopeAwareProvider(axon)).build();
    }
}
