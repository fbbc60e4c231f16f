package io.keytrail.session;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The data keys in table {@code keytrail_data_key} (schema-h2.sql, schema-postgresql.sql). Plain JDBC
 * on the store's data source, so an insert joins the transaction of the command that seals (the event
 * and its data key are stored together or not at all) and a forget deletes in the transaction that
 * records it. Not a read model: a rebuild must never reset it, and no event can recreate it.
 */
public final class JdbcDataKeys implements DataKeys {
    private static final RowMapper<Wrapped> ROW = (rs, n) -> new Wrapped(rs.getString("data_key_id"),
            rs.getString("aggregate_id"), rs.getString("sealing_key_id"), rs.getString("wrapped_key"));
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcDataKeys(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private static final String INSERT = "insert into keytrail_data_key (data_key_id, aggregate_id, sealing_key_id, "
            + "wrapped_key, created_at) values (?, ?, ?, ?, ?)";

    @Override
    public void insert(Wrapped key) {
        jdbc.update(INSERT, row(key));
    }

    /** One JDBC batch: a chunk of new sessions costs one round of statements, not one per session. */
    @Override
    public void insertAll(List<Wrapped> keys) {
        if (!keys.isEmpty()) {
            jdbc.batchUpdate(INSERT, keys.stream().map(this::row).toList());
        }
    }

    private Object[] row(Wrapped key) {
        return new Object[] {key.dataKeyId(), key.aggregateId(), key.sealingKeyId(), key.wrapped(),
                Timestamp.from(clock.instant())};
    }

    @Override
    public Optional<Wrapped> find(String dataKeyId) {
        return jdbc.query("select * from keytrail_data_key where data_key_id = ?", ROW, dataKeyId).stream().findFirst();
    }

    @Override
    public int deleteFor(String aggregateId) {
        return jdbc.update("delete from keytrail_data_key where aggregate_id = ?", aggregateId);
    }

    @Override
    public Set<String> sealingKeyIdsInUse() {
        return new LinkedHashSet<>(jdbc.queryForList(
                "select distinct sealing_key_id from keytrail_data_key order by sealing_key_id", String.class));
    }

    @Override
    public List<Wrapped> wrappedByOtherThan(String sealingKeyId, String afterDataKeyId, int limit) {
        return jdbc.query("select * from keytrail_data_key where sealing_key_id <> ? and data_key_id > ? "
                + "order by data_key_id limit ?", ROW, sealingKeyId, afterDataKeyId, limit);
    }

    @Override
    public long countWrappedByOtherThan(String sealingKeyId) {
        Long count = jdbc.queryForObject("select count(*) from keytrail_data_key where sealing_key_id <> ?",
                Long.class, sealingKeyId);
        return count == null ? 0 : count;
    }

    @Override
    public boolean rewrap(Wrapped rewrapped, String expectedSealingKeyId) {
        return jdbc.update("update keytrail_data_key set sealing_key_id = ?, wrapped_key = ? "
                        + "where data_key_id = ? and sealing_key_id = ?", rewrapped.sealingKeyId(), rewrapped.wrapped(),
                rewrapped.dataKeyId(), expectedSealingKeyId) == 1;
    }
}
