package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.SimpleDeadlineManager;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.github.kagkarlsson.scheduler.Scheduler;

/**
 * What the command-line tools start: the engine without a web server and without the slow lane's
 * machinery (no db-scheduler, the key-query saga's processor registered but not running).
 */
class CliContextTest {
    @TempDir
    Path store;

    @Test
    void theToolsEngine_startsNoWebServer_noScheduler_noPrometheus_andLeavesTheSagaProcessorStopped() {
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
        }
    }
}
