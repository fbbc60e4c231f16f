package io.keytrail.decrypt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * Remembers which event first used each message index of a session (Matrix spec, Megolm replay
 * protection): a homeserver that re-sends an old ciphertext as a new event must not get it shown
 * again as if it were new, while the same event may be decrypted any number of times.
 *
 * <p>Claims are written with group commit: a claim, or the claims of a whole array of events
 * ({@link #claimAll}), joins a queue as one group, and whichever caller holds the writer writes every
 * queued group in one transaction (one JDBC batch, one commit; a group is never split), then each caller
 * gets its answers; nobody is answered before its claims are committed (design section 11). A claim already known
 * is answered from a bounded memory of claims without touching the store: a claim never changes once
 * made, so remembering it is never stale, also with several nodes on one store. Nothing is locked while
 * decrypting or reading; the store's unique constraint decides between nodes.
 */
@Component
public class MessageIndexLedger {
    /** Claims remembered in memory (about 200 bytes each). */
    static final int REMEMBERED = 100_000;
    /** Claims written in one transaction at most. */
    static final int MAX_BATCH = 500;

    private static final String INSERT = "INSERT INTO kt_decrypted_index (aggregate_id, message_index, event_id) VALUES (?, ?, ?)";
    private static final String SELECT = "SELECT event_id FROM kt_decrypted_index WHERE aggregate_id = ? AND message_index = ?";

    private final DataSource dataSource;
    private final StripedLru<String> remembered = new StripedLru<>(REMEMBERED);
    private final ConcurrentLinkedQueue<Group> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    public MessageIndexLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One claim on its way to the store; {@link #owner} is set once it is committed (or known). */
    private static final class Claim {
        final String aggregateId;
        final long messageIndex;
        final String eventId;
        volatile String owner;
        volatile RuntimeException failure;

        Claim(String aggregateId, long messageIndex, String eventId) {
            this.aggregateId = aggregateId;
            this.messageIndex = messageIndex;
            this.eventId = eventId;
        }

        String key() {
            return key(aggregateId, messageIndex);
        }

        static String key(String aggregateId, long messageIndex) {
            return messageIndex + "|" + aggregateId;
        }

    }

    /** The claims of one caller, answered together: {@link #done} once every claim has its owner or failure. */
    private static final class Group {
        final List<Claim> claims;
        volatile boolean done;

        Group(List<Claim> claims) {
            this.claims = claims;
        }
    }

    /** One claim asked for: index {@code messageIndex} of session {@code aggregateId} for {@code eventId}. */
    public record Request(String aggregateId, long messageIndex, String eventId) {
    }

    /**
     * Claims {@code (session, index)} for {@code eventId} unless an event already holds it.
     *
     * @return the event id that holds the index now: {@code eventId} itself when it was free or
     *         already ours, another event's id when this is a replay
     */
    public String claim(String aggregateId, long messageIndex, String eventId) {
        return claimAll(List.of(new Request(aggregateId, messageIndex, eventId))).get(0);
    }

    /**
     * {@link #claim} for each request, as if they were made one after another in this order (two requests
     * for one index: the first one's event holds it), committed together in one transaction.
     *
     * @return the holder of each request's index, in order
     * @throws IllegalStateException when the store cannot record them (then none of them is answered)
     */
    public List<String> claimAll(List<Request> requests) {
        String[] owners = new String[requests.size()];
        List<Claim> group = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            String known = remembered.get(Claim.key(request.aggregateId(), request.messageIndex()));
            if (known != null) {
                owners[i] = known;
            } else {
                group.add(new Claim(request.aggregateId(), request.messageIndex(), request.eventId()));
                positions.add(i);
            }
        }
        if (!group.isEmpty()) {
            Group queued = new Group(group);
            queue.add(queued);
            while (!queued.done) {
                writer.lock();
                try {
                    if (!queued.done) {
                        writeQueued();
                    }
                } finally {
                    writer.unlock();
                }
            }
            for (int k = 0; k < group.size(); k++) {
                Claim claim = group.get(k);
                if (claim.failure != null) {
                    throw claim.failure;
                }
                owners[positions.get(k)] = claim.owner;
            }
        }
        return List.of(owners);
    }

    /**
     * Forgets the claims remembered in memory (the store keeps them): for whoever removes claims from the
     * store behind the engine's back, such as a test emptying its store.
     */
    public void forgetRemembered() {
        remembered.clear();
    }

    /**
     * Under {@link #writer}: writes what is queued in one transaction, whole groups only, until at least
     * {@value #MAX_BATCH} claims (one group larger than that is written whole).
     */
    private void writeQueued() {
        List<Group> groups = new ArrayList<>();
        List<Claim> batch = new ArrayList<>();
        Group group;
        while (batch.size() < MAX_BATCH && (group = queue.poll()) != null) {
            groups.add(group);
            batch.addAll(group.claims);
        }
        if (batch.isEmpty()) {
            return;
        }
        // Two claims of one index in the same batch: the first one queued is the one written.
        Map<String, Claim> firsts = new LinkedHashMap<>();
        batch.forEach(c -> firsts.putIfAbsent(c.key(), c));
        try (Connection connection = dataSource.getConnection()) {
            if (!insertAll(connection, firsts.values()) && !insertFree(connection, firsts.values())) {
                // Another node claimed one of them between our read and our insert: one by one.
                for (Claim claim : firsts.values()) {
                    claim.owner = insertOrRead(connection, claim);
                }
            }
        } catch (SQLException | RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("cannot record decrypted message indexes: " + e, e);
            batch.forEach(c -> c.failure = failure);
            groups.forEach(g -> g.done = true);
            return;
        }
        for (Claim claim : batch) {
            String owner = firsts.get(claim.key()).owner;
            remembered.put(claim.key(), owner);
            claim.owner = owner;
        }
        groups.forEach(g -> g.done = true);
    }

    /** All claims in one transaction; false (and nothing written) when any of them was taken already. */
    private static boolean insertAll(Connection connection, Iterable<Claim> claims) throws SQLException {
        connection.setAutoCommit(false);
        try {
            insertBatch(connection, claims);
            connection.commit();
            claims.forEach(c -> c.owner = c.eventId);
            return true;
        } catch (SQLException e) {
            // Usually 23505 (an index taken already); anything else shows again, one by one, where it belongs.
            connection.rollback();
            return false;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The claims' rows as one JDBC batch, in the caller's transaction. */
    private static void insertBatch(Connection connection, Iterable<Claim> claims) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Claim claim : claims) {
                insert.setString(1, claim.aggregateId);
                insert.setLong(2, claim.messageIndex);
                insert.setString(3, claim.eventId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Some index was claimed before (a replay, a re-decryption after a restart, another node): in one
     * transaction, read the holders and insert only the free claims in one batch, one commit. False (and
     * nothing written) when an insert still collides, i.e. another node claimed it meanwhile.
     */
    private static boolean insertFree(Connection connection, Collection<Claim> claims) throws SQLException {
        connection.setAutoCommit(false);
        try {
            Map<Claim, String> holders = new LinkedHashMap<>();
            List<Claim> free = new ArrayList<>();
            for (Claim claim : claims) {
                String holder = read(connection, claim);
                if (holder != null) {
                    holders.put(claim, holder);
                } else {
                    free.add(claim);
                }
            }
            if (!free.isEmpty()) {
                insertBatch(connection, free);
            }
            connection.commit();
            holders.forEach((claim, holder) -> claim.owner = holder);
            free.forEach(c -> c.owner = c.eventId);
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (!isUniqueViolation(e)) {
                throw e;
            }
            return false;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** One claim on its own: the holder if there is one, else ours; a concurrent holder's claim stands. */
    private static String insertOrRead(Connection connection, Claim claim) throws SQLException {
        String holder = read(connection, claim);
        if (holder != null) {
            return holder;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, claim.aggregateId);
            insert.setLong(2, claim.messageIndex);
            insert.setString(3, claim.eventId);
            insert.executeUpdate();
            return claim.eventId;
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            holder = read(connection, claim);
            if (holder == null) {
                throw e;
            }
            return holder;
        }
    }

    private static String read(Connection connection, Claim claim) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, claim.aggregateId);
            select.setLong(2, claim.messageIndex);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** SQL state 23505 (H2 and PostgreSQL), also when wrapped in a batch exception. */
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) {
                return true;
            }
            if (s.getCause() instanceof SQLException cause && "23505".equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
