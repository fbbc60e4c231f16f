package io.keytrail.directory;

import org.springframework.data.jpa.repository.JpaRepository;

/** Accepted identities. */
public interface IdentityRows extends JpaRepository<IdentityRow, String> {
}
