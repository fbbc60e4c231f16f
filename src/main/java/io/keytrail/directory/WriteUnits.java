package io.keytrail.directory;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.keytrail.errors.RefusalException;

/**
 * Runs one input as one unit of work: a single store transaction that every command of the input
 * joins (Axon's units of work take part in an open Spring transaction, and the subscribing directory
 * projection writes in it), so the keys of a {@code /keys/query} answer and the re-decisions they
 * cause are stored together or not at all (ADR 0009).
 *
 * <p>Another node may store the same aggregate or the same read-model row at the same moment; the
 * loser of that race sees a conflict (Axon's {@link ConcurrencyException}, a unique-key violation, a
 * lock timeout or deadlock). Nothing of the losing attempt was stored, and every input is safe to run
 * again from scratch, so the whole unit is retried a bounded number of times.
 *
 * <p>A refusal ({@link RefusalException}) commits what the unit stored before it (e.g. the record of
 * a discarded session) unless a command failed inside the unit, in which case nothing is kept.
 *
 * <p>Every unit passes a gate that {@link #exclusively} closes: a read-model rebuild waits for the units in
 * flight to finish and holds new ones back until it has committed (ADR 0013), so no input writes a row that
 * the rebuild is about to delete or has not replayed yet.
 */
@Component
public class WriteUnits {
    private static final Logger log = LoggerFactory.getLogger(WriteUnits.class);
    static final int MAX_ATTEMPTS = 8;
    /**
     * SQL states of a lost race: unique violation, serialization failure, deadlock; H2's lock timeout and
     * concurrent update of one row.
     */
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "40001", "40P01", "HYT00", "90131");

    private final TransactionTemplate transactions;
    /** Units hold the read side (many at once); a rebuild holds the write side (alone). Fair: a rebuild is not starved. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);

    public WriteUnits(PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Runs {@code work} in one transaction, retried when it lost a race with another writer. Inside an
     * open transaction it simply joins it: the outermost unit retries.
     */
    public <T> T run(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return work.get();
        }
        gate.readLock().lock();
        try {
            return retried(work);
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction while no other unit of this node runs: waits for the units in
     * flight, and new ones wait until {@code work} has committed or rolled back. Not retried: {@code work}
     * is the rebuild, which other nodes' writers do not race with (it locks the tables it rewrites).
     */
    public <T> T exclusively(Supplier<T> work) {
        if (gate.getReadHoldCount() > 0 || TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("an exclusive unit cannot run inside another unit of work");
        }
        gate.writeLock().lock();
        try {
            return transactions.execute(status -> work.get());
        } finally {
            gate.writeLock().unlock();
        }
    }

    private <T> T retried(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                log.debug("unit of work lost a race with another writer (attempt {}): {}", attempt, e.toString());
                pause(attempt);
            }
        }
    }

    private <T> T once(Supplier<T> work) {
        Outcome<T> outcome = transactions.execute(status -> {
            try {
                return new Outcome<>(work.get(), null);
            } catch (RefusalException refusal) {
                if (status.isRollbackOnly()) {
                    throw refusal; // a command failed inside the unit: keep nothing of it
                }
                return new Outcome<>(null, refusal);
            }
        });
        if (outcome.refusal() != null) {
            throw outcome.refusal();
        }
        return outcome.value();
    }

    private record Outcome<T>(T value, RefusalException refusal) {
    }

    /** True when {@code e} (or a cause) says the unit lost a race with a concurrent writer. */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException
                    || t instanceof ConcurrencyFailureException
                    || t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && CONFLICT_STATES.contains(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Jittered, growing pause, so that two nodes that collided do not collide again in step. */
    private static void pause(int attempt) {
        long bound = Math.min(200, 5L << attempt);
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a unit of work", e);
        }
    }
}
