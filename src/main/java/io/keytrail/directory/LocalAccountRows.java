package io.keytrail.directory;

import org.springframework.data.jpa.repository.JpaRepository;

public interface LocalAccountRows extends JpaRepository<LocalAccountRow, String> {
}
