package io.keytrail.directory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Sessions, with the indexed searches of the re-decisions. */
public interface SessionRows extends JpaRepository<SessionRow, Long> {
    Optional<SessionRow> findByAggregateId(String aggregateId);

    Optional<SessionRow> findByRoomIdAndSessionId(String roomId, String sessionId);

    List<SessionRow> findBySenderKeyInAndRankLessThanAndDiscardedFalseOrderByPosition(
            Collection<String> senderKeys, int rank);

    List<SessionRow> findByMasterKeyAndRankInAndDiscardedFalseOrderByPosition(String masterKey,
                                                                             Collection<Integer> ranks);

    List<SessionRow> findBySenderAndRankAndDiscardedFalseOrderByPosition(String sender, int rank);

    List<SessionRow> findAllByOrderByPosition();

    /** A page of a listing by insertion order (keyset: no offset, no count query). */
    List<SessionRow> findByPositionGreaterThanOrderByPosition(Long position, Pageable page);
}
