package io.keytrail.directory;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Devices as last fetched. */
public interface DeviceRows extends JpaRepository<DeviceRow, String> {
    /** JPQL, translated once (a derived query was translated on every room key, issue 13). */
    @Query("select d from DeviceRow d where d.userId = ?1")
    List<DeviceRow> findByUserId(String userId);

    /** The devices of several users in one query (a batch of room keys). */
    @Query("select d from DeviceRow d where d.userId in ?1")
    List<DeviceRow> findByUserIdIn(Collection<String> userIds);

    @Modifying
    @Query("delete from DeviceRow d where d.userId = ?1")
    void deleteByUserId(String userId);
}
