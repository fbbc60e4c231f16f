package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.UUID;

import io.keytrail.FileStoreSpringTest;
import io.keytrail.api.EventStoreProbe.ProbeRecorded;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The default store: a file-based H2 database (ADR 0002). An event appended through Axon's event store
 * is read back, and it is still there after the application is shut down and started again on the same
 * database file.
 */
class H2FileEventStoreTest extends FileStoreSpringTest {

    private static final String[] PROFILES = {"test"};

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
        assertThat(STORE_DIR.resolve("shared.mv.db")).isRegularFile();
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
