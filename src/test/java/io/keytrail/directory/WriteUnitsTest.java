package io.keytrail.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.SmartTransactionObject;
import org.springframework.transaction.support.TransactionTemplate;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

/** The unit of work's retry rule, without a store: which failures are lost races, and how often it tries. */
class WriteUnitsTest {
    /** Counts commits and rollbacks; holds no resource. Joined units share the transaction, as Axon's do. */
    static final class CountingTransactions extends AbstractPlatformTransactionManager {
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger rollbacks = new AtomicInteger();
        private Transaction current;

        /** The transaction object; marked rollback-only by a participant that failed. */
        static final class Transaction implements SmartTransactionObject {
            boolean rollbackOnly;

            @Override
            public boolean isRollbackOnly() {
                return rollbackOnly;
            }

            @Override
            public void flush() {
            }
        }

        @Override
        protected Object doGetTransaction() {
            return current != null ? current : new Transaction();
        }

        @Override
        protected boolean isExistingTransaction(Object transaction) {
            return transaction == current;
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            current = (Transaction) transaction;
        }

        @Override
        protected void doSetRollbackOnly(DefaultTransactionStatus status) {
            ((Transaction) status.getTransaction()).rollbackOnly = true;
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits.incrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            rollbacks.incrementAndGet();
        }

        @Override
        protected void doCleanupAfterCompletion(Object transaction) {
            current = null;
        }
    }

    private final CountingTransactions transactions = new CountingTransactions();
    private final WriteUnits units = new WriteUnits(transactions);

    @Test
    void lostRacesAreRecognised_throughWrappersAndSqlStates() {
        assertThat(WriteUnits.isConflict(new ConcurrencyException("seq 3 taken"))).isTrue();
        assertThat(WriteUnits.isConflict(new AggregateStreamCreationException("exists"))).isTrue();
        assertThat(WriteUnits.isConflict(new CommandExecutionException("wrapped", new ConcurrencyException("x")))).isTrue();
        assertThat(WriteUnits.isConflict(new DataIntegrityViolationException("dup",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isTrue();
        assertThat(WriteUnits.isConflict(new RuntimeException(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(WriteUnits.isConflict(new RuntimeException(new SQLException("value too long", "22001")))).isFalse();
        assertThat(WriteUnits.isConflict(new IllegalStateException("bug"))).isFalse();
        assertThat(WriteUnits.isConflict(new RefusalException(RefusalCode.INVALID_INPUT, "bad"))).isFalse();
    }

    @Test
    void unitThatLostARace_isRunAgainFromScratch_untilItCommits() {
        AtomicInteger attempts = new AtomicInteger();
        String result = units.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new ConcurrencyException("another node appended first");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
        assertThat(transactions.rollbacks).hasValue(2);
        assertThat(transactions.commits).hasValue(1);
    }

    @Test
    void retriesAreBounded() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> units.run(() -> {
            attempts.incrementAndGet();
            throw new ConcurrencyException("always");
        })).isInstanceOf(ConcurrencyException.class);
        assertThat(attempts).hasValue(WriteUnits.MAX_ATTEMPTS);
    }

    @Test
    void otherFailures_areNotRetried_andRollBack() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> units.run(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
        assertThat(transactions.rollbacks).hasValue(1);
    }

    @Test
    void refusal_commitsWhatTheUnitRecorded_thenIsThrown() {
        assertThatThrownBy(() -> units.run(() -> {
            throw new RefusalException(RefusalCode.SESSION_DISCARDED, "discarded on arrival");
        })).isInstanceOf(RefusalException.class);
        assertThat(transactions.commits).hasValue(1);
        assertThat(transactions.rollbacks).hasValue(0);
    }

    @Test
    void refusalAfterAFailedCommand_keepsNothing() {
        assertThatThrownBy(() -> units.run(() -> {
            try {
                // A command joined the unit and failed: its rollback marks the whole unit rollback-only.
                new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    throw new IllegalStateException("command failed");
                });
            } catch (IllegalStateException expected) {
                // the caller turns it into a refusal
            }
            throw new RefusalException(RefusalCode.INVALID_INPUT, "a command failed");
        })).isInstanceOf(RefusalException.class);
        assertThat(transactions.commits).hasValue(0);
        assertThat(transactions.rollbacks).hasValue(1);
    }

    // --- the rebuild's gate (ADR 0013) ----------------------------------------------------------------

    @Test
    void aUnitStartedDuringAnExclusiveUnit_waitsUntilTheExclusiveUnitCommitted() throws InterruptedException {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread rebuild = new Thread(() -> units.exclusively(() -> {
            inside.countDown();
            awaitLatch(release);
            return order.add("rebuild");
        }));
        rebuild.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Thread input = new Thread(() -> units.run(() -> order.add("input")));
        input.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> input.getState() == Thread.State.WAITING);
        assertThat(order).as("the input waits at the gate").isEmpty();

        release.countDown();
        rebuild.join(30_000);
        input.join(30_000);
        assertThat(order).containsExactly("rebuild", "input");
        assertThat(transactions.commits).hasValue(2);
    }

    @Test
    void anExclusiveUnit_waitsForTheUnitsInFlight() throws InterruptedException {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread input = new Thread(() -> units.run(() -> {
            inside.countDown();
            awaitLatch(release);
            return order.add("input");
        }));
        input.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Thread rebuild = new Thread(() -> units.exclusively(() -> order.add("rebuild")));
        rebuild.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rebuild.getState() == Thread.State.WAITING);
        assertThat(order).as("the rebuild waits for the input in flight").isEmpty();

        release.countDown();
        input.join(30_000);
        rebuild.join(30_000);
        assertThat(order).containsExactly("input", "rebuild");
    }

    @Test
    void anExclusiveUnitInsideAUnit_isRefused_insteadOfWaitingForItselfForever() {
        assertThatThrownBy(() -> units.run(() -> units.exclusively(() -> "never")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside another unit");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
