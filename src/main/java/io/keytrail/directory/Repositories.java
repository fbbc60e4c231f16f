package io.keytrail.directory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Spring Data repositories of the directory read models. */
public final class Repositories {
    private Repositories() {
    }

    public interface DeviceRows extends JpaRepository<DeviceRow, String> {
        List<DeviceRow> findByUserId(String userId);

        @Modifying
        @Query("delete from DeviceRow d where d.userId = ?1")
        void deleteByUserId(String userId);
    }

    public interface IdentityRows extends JpaRepository<IdentityRow, String> {
    }

    public interface SessionRows extends JpaRepository<SessionRow, Long> {
        Optional<SessionRow> findByAggregateId(String aggregateId);

        Optional<SessionRow> findByRoomIdAndSessionId(String roomId, String sessionId);

        List<SessionRow> findBySenderKeyInAndRankLessThanAndDiscardedFalseOrderByPosition(
                Collection<String> senderKeys, int rank);

        List<SessionRow> findByMasterKeyAndRankInAndDiscardedFalseOrderByPosition(String masterKey,
                                                                                 Collection<Integer> ranks);

        List<SessionRow> findBySenderAndRankAndDiscardedFalseOrderByPosition(String sender, int rank);

        List<SessionRow> findAllByOrderByPosition();
    }
}
