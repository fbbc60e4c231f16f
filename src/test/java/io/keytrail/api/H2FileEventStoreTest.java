package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.UUID;

import io.keytrail.api.EventStoreProbe.ProbeRecorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The default store: a file-based H2 database (ADR 0002). An event appended through Axon's event store
 * is read back, and it is still there after the application is shut down and started again on the same
 * database file.
 */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext // release the database file before the temporary directory is deleted
class H2FileEventStoreTest {

    private static final String[] PROFILES = {"test"};

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void fileDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> fileUrl("shared"));
    }

    private static String fileUrl(String name) {
        return "jdbc:h2:file:" + dataDir.resolve(name).toAbsolutePath();
    }

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void appendedEventIsReadBack_fromTheH2File() {
        String probeId = UUID.randomUUID().toString();
        ProbeRecorded payload = new ProbeRecorded(probeId, "hello");

        EventStoreProbe.append(context, probeId, payload);

        EventStoreProbe.assertSingleProbeEvent(EventStoreProbe.read(context, probeId), probeId, payload);
        assertThat(jdbc.execute((Connection connection) -> connection.getMetaData().getURL()))
                .startsWith("jdbc:h2:file:");
        assertThat(dataDir.resolve("shared.mv.db")).isRegularFile();
    }

    @Test
    void eventSurvivesARestartOnTheSameFile() {
        // A database of its own: the shared one stays open in this test's context. Closing an application
        // closes its connection pool and, with the last connection, H2 closes the file; the second start
        // therefore reads the event from disk.
        String url = "--spring.datasource.url=" + fileUrl("restart");
        String probeId = UUID.randomUUID().toString();
        ProbeRecorded payload = new ProbeRecorded(probeId, "written before restart");

        try (ConfigurableApplicationContext first = EventStoreProbe.startApplication(PROFILES, url)) {
            EventStoreProbe.append(first, probeId, payload);
        }
        try (ConfigurableApplicationContext second = EventStoreProbe.startApplication(PROFILES, url)) {
            EventStoreProbe.assertSingleProbeEvent(EventStoreProbe.read(second, probeId), probeId, payload);
        }
    }
}
