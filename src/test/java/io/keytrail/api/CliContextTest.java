package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.SimpleDeadlineManager;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.github.kagkarlsson.scheduler.Scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.observation.ObservationRegistry;

/**
 * What the command-line tools start: the engine without a web server and without the slow lane's
 * machinery (no db-scheduler, the key-query saga's processor registered but not running), nor the
 * Actuator, observation and HTTP-client auto-configurations that no tool uses (ADR 0030).
 */
class CliContextTest {
    @TempDir
    Path store;

    @Test
    void theToolsEngine_startsNoWebServer_noScheduler_noPrometheus_noActuator_andLeavesTheSagaProcessorStopped() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (ConfigurableApplicationContext context = CliContext.start(store, "replay",
                new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            assertThat(progress.toString(StandardCharsets.UTF_8))
                    .isEqualTo("replay: starting the engine on store " + store.toAbsolutePath() + " …\n");
            assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
            assertThat(context.getBeanNamesForType(Scheduler.class)).isEmpty();
            assertThat(context.getBeanNamesForType(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class)).isEmpty();
            assertThat(context.getBeanNamesForType(org.axonframework.micrometer.MetricsConfigurerModule.class)).isEmpty();
            assertThat(context.getBean(DeadlineManager.class)).isInstanceOf(SimpleDeadlineManager.class);
            EventProcessor saga = context.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("KeysQuerySagaProcessor").orElseThrow();
            assertThat(saga.isRunning()).isFalse();
            assertThat(context.getBean(EventProcessingConfiguration.class).eventProcessor("directory").orElseThrow()
                    .isRunning()).isTrue();
            // ADR 0030: no Actuator endpoint, health, JVM or Logback meter, observation; Keytrail's counters stay.
            assertThat(context.getBeanNamesForType(HealthEndpoint.class)).isEmpty();
            assertThat(context.getBeanNamesForType(HealthContributorRegistry.class)).isEmpty();
            assertThat(context.getBeanNamesForType(JvmMemoryMetrics.class)).isEmpty();
            assertThat(context.getBeanNamesForType(LogbackMetrics.class)).isEmpty();
            assertThat(context.getBeanNamesForType(ObservationRegistry.class)).isEmpty();
            assertThat(context.getBean(KeytrailMetrics.class)).isNotNull();
            assertThat(context.getBean(MeterRegistry.class)).isNotNull();
        }
    }

    @Test
    void everyAutoConfigurationLeftOutOfTheTools_isOneThatSpringBootWouldOtherwiseLoad() {
        // A misspelt or renamed class would be excluded silently and cost the tools their start-up time again.
        List<String> known = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates();

        assertThat(CliContext.TOOL_EXCLUDED_AUTO_CONFIGURATIONS).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(known).contains(name));
    }
}
