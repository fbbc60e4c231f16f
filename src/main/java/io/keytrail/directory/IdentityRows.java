package io.keytrail.directory;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Accepted identities. */
public interface IdentityRows extends JpaRepository<IdentityRow, String> {
    /** The identities of several users in one query (a batch of room keys). */
    @Query("select i from IdentityRow i where i.userId in ?1")
    List<IdentityRow> findByUserIdIn(Collection<String> userIds);
}
