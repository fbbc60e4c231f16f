package io.keytrail.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Compacts an embedded H2 file store while the engine runs (ADR 0023). With {@code WRITE_DELAY=0}, which
 * durability needs (every commit on disk before the answer, design section 11), H2 writes one MVStore
 * chunk per commit and starts no background writer thread; that thread is also the only place where H2
 * rewrites half-empty chunks ({@code AUTO_COMPACT_FILL_RATE} has no effect without it). Measured: after
 * 10,000 room keys the chunks held 20% live data, and the file grew by about 30 KB per session.
 *
 * <p>This does what H2's housekeeping would: every {@code interval}, if the chunks' fill rate is below
 * {@code fillRate}, it rewrites the live pages of the emptiest chunks (H2's own
 * {@link MVStore#compact(int, int)}, under H2's store lock, as its background thread calls it), so whole
 * chunks fall empty and their space is reused once H2's retention time has passed. Commits stay as
 * durable as before: compaction writes new chunks and never overwrites a chunk a reader or a crash
 * recovery may still need. Only for an H2 file store whose commits are synchronous; nothing otherwise
 * (PostgreSQL, H2 in memory, or a {@code WRITE_DELAY} above 0, where H2's own thread does it).
 */
final class H2Housekeeping implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

    private final DataSource dataSource;
    private final Duration interval;
    private final int fillRate;
    private final int writeBytes;
    private ScheduledExecutorService scheduler;
    private volatile boolean warned;

    /**
     * @param interval   time between two passes; zero or negative: never
     * @param fillRate   the chunks' fill rate (percent of live data) under which a pass rewrites chunks
     * @param writeBytes live bytes a pass rewrites at least (then it stops until the next pass)
     */
    H2Housekeeping(DataSource dataSource, Duration interval, int fillRate, int writeBytes) {
        if (fillRate < 1 || fillRate > 99) {
            throw new IllegalArgumentException("keytrail.store.h2-housekeeping.fill-rate must be between 1 and 99");
        }
        if (writeBytes < 1) {
            throw new IllegalArgumentException("keytrail.store.h2-housekeeping.write-bytes must be positive");
        }
        this.dataSource = dataSource;
        this.interval = interval;
        this.fillRate = fillRate;
        this.writeBytes = writeBytes;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null || interval.isZero() || interval.isNegative() || syncFileStore().isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keytrail-h2-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::pass, millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("H2 file store with WRITE_DELAY=0: compacting chunks under {}% fill every {} ms", fillRate, millis);
    }

    /** Before the data source closes: the pass in progress finishes (H2's compaction is bounded by writeBytes). */
    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("H2 housekeeping did not finish its pass within 30 s of the shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Stops early (the highest phase stops first), long before the data source closes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    /**
     * One pass: rewrites chunks if their fill rate is below the target.
     *
     * @return whether anything was rewritten
     */
    boolean pass() {
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = mvStore(connection).orElse(null);
            if (store == null || store.isClosed()) {
                return false;
            }
            return store.compact(fillRate, writeBytes);
        } catch (SQLException | RuntimeException e) {
            // The store is closing, or H2 refused: the next pass tries again; the engine never depends on it.
            if (!warned) {
                warned = true;
                LOG.warn("H2 housekeeping pass failed ({}); it is tried again every {} ms", e.getClass().getSimpleName(),
                        interval.toMillis());
            }
            return false;
        }
    }

    /** The chunks' fill rate now, in percent (tests, and what a pass looks at); empty if not an H2 file store. */
    Optional<Integer> chunksFillRate() {
        try (Connection connection = dataSource.getConnection()) {
            return mvStore(connection).map(store -> store.getFileStore().getChunksFillRate());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** The store, if it is an embedded H2 file store that commits synchronously (WRITE_DELAY=0). */
    private Optional<MVStore> syncFileStore() {
        try (Connection connection = dataSource.getConnection()) {
            return mvStore(connection).filter(store -> store.getAutoCommitDelay() == 0);
        } catch (SQLException e) {
            LOG.debug("no H2 housekeeping: the store cannot be opened to look at it", e);
            return Optional.empty();
        }
    }

    private static Optional<MVStore> mvStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return Optional.empty();
        }
        Store store = session.getDatabase().getStore();
        if (store == null || store.getMvStore().getFileStore() == null || !session.getDatabase().isPersistent()) {
            return Optional.empty();
        }
        return Optional.of(store.getMvStore());
    }
}
