package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online compaction of an H2 file store that commits synchronously (ADR 0023), on plain H2 data sources:
 * a store written one small commit at a time leaves its chunks mostly empty, and a pass rewrites them;
 * every other kind of store is left alone.
 */
class H2HousekeepingTest {
    @TempDir
    Path temp;

    private JdbcDataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        return dataSource;
    }

    /** Rows inserted and then rewritten, one commit each, as the engine's inputs are. */
    private static void churn(JdbcDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, v varchar(4000))");
            try (PreparedStatement insert = c.prepareStatement("merge into t key (id) values (?, ?)")) {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 500; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, ("row " + i + " round " + round + " ").repeat(40));
                        insert.executeUpdate();
                    }
                }
            }
        }
    }

    @Test
    void fileStoreWithoutWriteDelay_aPassRewritesItsHalfEmptyChunks() throws Exception {
        // H2 rewrites only chunks older than its retention time (45 s by default): none here, so a test needs no wait.
        JdbcDataSource dataSource = h2("jdbc:h2:file:" + temp.resolve("db")
                + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1;RETENTION_TIME=0");
        churn(dataSource);
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofHours(1), 80, 1 << 20);
        int before = housekeeping.chunksFillRate().orElseThrow();

        boolean rewrote = housekeeping.pass();

        assertThat(before).as("one chunk per commit, most of it rewritten since").isLessThan(50);
        assertThat(rewrote).isTrue();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // The rewritten pages are stored by the next commits, and the emptied chunks then dropped.
            s.execute("checkpoint");
            s.execute("insert into t values (-1, 'one more commit')");
            assertThat(housekeeping.chunksFillRate().orElseThrow()).as("the target fill rate").isGreaterThanOrEqualTo(80);
            var rows = s.executeQuery("select count(*), min(v) from t where v like '% round 2 %'");
            rows.next();
            assertThat(rows.getInt(1)).as("the data is untouched").isEqualTo(500);
            s.execute("shutdown");
        }
    }

    @Test
    void fileStoreWithoutWriteDelay_startsTheScheduledPassesAndStopsThem() throws Exception {
        JdbcDataSource dataSource = h2("jdbc:h2:file:" + temp.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofHours(1), 80, 1 << 20);

        housekeeping.start();
        assertThat(housekeeping.isRunning()).isTrue();
        housekeeping.stop();

        assertThat(housekeeping.isRunning()).isFalse();
        shutdown(dataSource);
    }

    @Test
    void fileStoreWithAWriteDelay_isLeftToH2sOwnBackgroundThread() throws Exception {
        JdbcDataSource dataSource = h2("jdbc:h2:file:" + temp.resolve("db") + ";WRITE_DELAY=500;DB_CLOSE_DELAY=-1");
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofSeconds(1), 80, 1 << 20);

        housekeeping.start();

        assertThat(housekeeping.isRunning()).isFalse();
        shutdown(dataSource);
    }

    @Test
    void inMemoryStore_isLeftAlone() {
        JdbcDataSource dataSource = h2("jdbc:h2:mem:housekeeping-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofSeconds(1), 80, 1 << 20);

        housekeeping.start();

        assertThat(housekeeping.isRunning()).isFalse();
        assertThat(housekeeping.chunksFillRate()).isEmpty();
        assertThat(housekeeping.pass()).isFalse();
    }

    @Test
    void zeroInterval_turnsItOff() throws Exception {
        JdbcDataSource dataSource = h2("jdbc:h2:file:" + temp.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ZERO, 80, 1 << 20);

        housekeeping.start();

        assertThat(housekeeping.isRunning()).isFalse();
        shutdown(dataSource);
    }

    @Test
    void closedStore_aPassDoesNothingAndThrowsNothing() throws Exception {
        JdbcDataSource dataSource = h2("jdbc:h2:file:" + temp.resolve("db") + ";WRITE_DELAY=0;IFEXISTS=TRUE");
        H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofSeconds(1), 80, 1 << 20);

        assertThat(housekeeping.pass()).as("no database there: the connection is refused").isFalse();
    }

    @Test
    void fillRateOutOfRange_isRefused() {
        JdbcDataSource dataSource = h2("jdbc:h2:mem:x");
        assertThatThrownBy(() -> new H2Housekeeping(dataSource, Duration.ofSeconds(1), 100, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fill-rate");
        assertThatThrownBy(() -> new H2Housekeeping(dataSource, Duration.ofSeconds(1), 80, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write-bytes");
    }

    private static void shutdown(JdbcDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("shutdown");
        }
    }
}
