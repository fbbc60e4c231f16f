package io.keytrail.directory;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Serialises the work on one sender: a room key being decided and a keys change of the same user.
 * Without it, a room key could read the device list just before a keys query replaced it, and the
 * re-decision that follows the keys query could run before that session is stored: the session would
 * miss its re-decision (matrix-rust-sdk documents this race and leaves it).
 *
 * <p>Two levels, both held until the unit of work ends (commit or rollback), because the other side
 * must see what this side stored: a striped lock in this JVM, so threads of one node queue without
 * touching the store, and the row of the user in {@code keytrail_user_lock}, locked in the unit's own
 * transaction, so that nodes sharing one database queue too (ADR 0009). A deadlock between two nodes
 * that lock several users in different orders is broken by the database and retried by
 * {@link WriteUnits}.
 */
@Component
public class UserLocks {
    private static final int STRIPES = 64;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final WriteUnits units;
    private final JdbcTemplate jdbc;
    private volatile String[] lockStatements;

    public UserLocks(WriteUnits units, JdbcTemplate jdbc) {
        this.units = units;
        this.jdbc = jdbc;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Runs {@code work} while no other thread or node works on {@code userId}, inside the current unit
     * of work, or in a unit of its own (see {@link WriteUnits#run}) when none is open.
     */
    public <T> T withUser(String userId, Supplier<T> work) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return units.run(() -> withUser(userId, work));
        }
        ReentrantLock lock = stripes[Math.floorMod(userId.hashCode(), STRIPES)];
        lock.lock();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                lock.unlock();
            }
        });
        lockRow(userId);
        return work.get();
    }

    /**
     * As {@link #withUser} for several users at once (a batch of room keys): the stripes in ascending
     * order, so that two threads of this node never wait for each other in a cycle, then the rows in
     * user id order, so that nodes lock in one order too.
     */
    public <T> T withUsers(Collection<String> userIds, Supplier<T> work) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return units.run(() -> withUsers(userIds, work));
        }
        SortedSet<String> users = new TreeSet<>(userIds);
        SortedSet<Integer> stripeIndexes = new TreeSet<>();
        users.forEach(user -> stripeIndexes.add(Math.floorMod(user.hashCode(), STRIPES)));
        for (int index : stripeIndexes) {
            ReentrantLock lock = stripes[index];
            lock.lock();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    lock.unlock();
                }
            });
        }
        users.forEach(this::lockRow);
        return work.get();
    }

    private void lockRow(String userId) {
        for (String sql : statements()) {
            if (sql.startsWith("select")) {
                jdbc.queryForList(sql, String.class, userId);
            } else {
                jdbc.update(sql, userId);
            }
        }
    }

    /** Create the user's row if missing (without failing when another node just did), then lock it. */
    private String[] statements() {
        String[] statements = lockStatements;
        if (statements == null) {
            String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
            String create = "PostgreSQL".equalsIgnoreCase(product)
                    ? "insert into keytrail_user_lock (user_id) values (?) on conflict (user_id) do nothing"
                    : "merge into keytrail_user_lock key (user_id) values (?)";
            statements = new String[] {create, "select user_id from keytrail_user_lock where user_id = ? for update"};
            lockStatements = statements;
        }
        return statements;
    }
}
