package io.keytrail.directory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Sessions, with the indexed searches of the re-decisions. */
public interface SessionRows extends JpaRepository<SessionRow, Long> {
    // JPQL rather than derived queries on the write path: Hibernate caches a JPQL query's translation, and
    // translated a derived (criteria) query anew on every call (issue 13).
    @Query("select s from SessionRow s where s.aggregateId = ?1")
    Optional<SessionRow> findByAggregateId(String aggregateId);

    @Query("select s from SessionRow s where s.roomId = ?1 and s.sessionId = ?2")
    Optional<SessionRow> findByRoomIdAndSessionId(String roomId, String sessionId);

    List<SessionRow> findBySenderKeyInAndRankLessThanAndDiscardedFalseOrderByPosition(
            Collection<String> senderKeys, int rank);

    List<SessionRow> findByMasterKeyAndRankInAndDiscardedFalseOrderByPosition(String masterKey,
                                                                             Collection<Integer> ranks);

    List<SessionRow> findBySenderAndRankAndDiscardedFalseOrderByPosition(String sender, int rank);

    List<SessionRow> findAllByOrderByPosition();

    List<SessionRow> findByRoomIdOrderByPosition(String roomId);
    /** A page of a listing by insertion order (keyset: no offset, no count query). */
    List<SessionRow> findByPositionGreaterThanOrderByPosition(Long position, Pageable page);
}
