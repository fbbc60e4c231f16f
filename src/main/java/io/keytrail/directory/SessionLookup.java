package io.keytrail.directory;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The one read decryption needs per event, as plain JDBC: the session's current sealed key, sender data
 * and flags by (room, session), without a JPA transaction, query translation or an entity in a
 * persistence context (a fifth of a decrypt's time under JPA, docs/performance.md). Read-only; always
 * the committed row, so callers may cache what they derive from it as long as they compare it with
 * this read (decrypt.OpenedSessions).
 */
@Component
public class SessionLookup {
    /** What decryption reads of a session row (column names: Hibernate's naming of {@link SessionRow}). */
    public record Current(String aggregateId, String sealedSessionKey, String senderDataJson, boolean imported,
                          boolean discarded, boolean forgotten) {
    }

    private static final String SELECT = "SELECT aggregate_id, sealed_session_key, sender_data_json, imported, discarded, forgotten"
            + " FROM kt_session WHERE room_id = ? AND session_id = ?";

    private final JdbcTemplate jdbc;

    public SessionLookup(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<Current> current(String roomId, String sessionId) {
        List<Current> rows = jdbc.query(SELECT, (rs, n) -> new Current(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6)), roomId, sessionId);
        return rows.stream().findFirst();
    }
}
